package dev.jchat.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jchat.testing.ChatServerExtension;
import dev.jchat.testing.JdkSocket;
import dev.jchat.testing.JoinCursors;
import dev.jchat.testing.Rest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code joined.lastSeq} is a cursor a client can store as it is (protocol v1.1): with joins racing
 * thousands of concurrent sends, every {@code joined} carries a gap-free history ending exactly at
 * {@code lastSeq} (unless the cap cut it, {@code complete:false}), and the first live message of
 * the room on that socket is {@code lastSeq + 1}, the next ones following without a gap.
 */
class JoinCursorTest {
  private static final int SENDERS = 3;
  private static final int MESSAGES_PER_SENDER = 4000;

  /** Sends in flight per sender: enough to keep the writer busy, so joins race real commits. */
  private static final int WINDOW = 40;

  private static final int JOINERS = 4;

  @RegisterExtension
  static final ChatServerExtension server = ChatServerExtension.create(b -> b.historyCap(50));

  @Test
  void joinsRacingConcurrentSendsGetAnExactCursor() throws Exception {
    Rest.User owner = server.newUser("writer");
    String room = server.rest().newPublicRoom(owner);
    List<JdkSocket> senders = new ArrayList<>();
    for (int i = 0; i < SENDERS; i++) {
      senders.add(server.joined(server.newUser("w" + i), room));
    }
    List<JdkSocket> joiners = new ArrayList<>();
    for (int i = 0; i < JOINERS; i++) {
      joiners.add(server.signIn(server.newUser("j" + i)));
    }

    ExecutorService threads = Executors.newFixedThreadPool(SENDERS + JOINERS);
    AtomicBoolean sending = new AtomicBoolean(true);
    try {
      List<CompletableFuture<?>> sends = new ArrayList<>();
      for (JdkSocket s : senders) {
        sends.add(
            CompletableFuture.runAsync(
                () -> {
                  for (int sent = 0; sent < MESSAGES_PER_SENDER; sent += WINDOW) {
                    s.sendAll(room, "m", WINDOW);
                  }
                },
                threads));
      }
      List<CompletableFuture<Integer>> joins = new ArrayList<>();
      for (int i = 0; i < JOINERS; i++) {
        JdkSocket joiner = joiners.get(i);
        boolean withSince = i % 2 == 1;
        joins.add(
            CompletableFuture.supplyAsync(
                () -> JoinCursors.joinRepeatedly(joiner, room, withSince, sending), threads));
      }
      CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
      sending.set(false);
      int total = 0;
      for (CompletableFuture<Integer> j : joins) {
        total += j.get(60, TimeUnit.SECONDS);
      }
      assertTrue(total >= JOINERS, "every joiner joined at least once");
    } finally {
      sending.set(false);
      threads.shutdownNow();
    }
    for (JdkSocket joiner : joiners) {
      joiner.roundTrip();
      JoinCursors.assertExact(
          joiner.recorder().framesSoFar(f -> room.equals(f.path("room").asText())));
    }
  }
}
