package dev.jchat.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jchat.ChatException;
import dev.jchat.ChatMessage;
import dev.jchat.ChatRoom;
import dev.jchat.ChatSocket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SendQueueTest {
  final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor();
  final List<String> problems = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    worker.shutdownNow();
  }

  @Test
  void aMessageTheServerCannotStoreIsSentAgainWithTheSameRefUntilItIsStored() throws Exception {
    ScriptedSocket socket =
        new ScriptedSocket(unavailable(), unavailable(), unavailable()); // then acks whatever comes
    SendQueue sends = new SendQueue(10, worker, problems::add, new Backoff(ms(1), ms(4), () -> 0));
    sends.online(socket, 1);

    assertTrue(sends.add("general", "hello"));

    assertTrue(sends.awaitEmpty(Duration.ofSeconds(20)), "never acked");
    assertEquals(4, socket.refs.size());
    assertEquals(1, socket.refs.stream().distinct().count(), "a retry must reuse the ref");
    assertEquals(0, sends.refused());
    assertEquals(1, problems.size(), "the user hears once per outage: " + problems);
    assertEquals(1, sends.lastAck().seq());
  }

  @Test
  void anUnavailableAnswerWithoutAWaitHintIsNotTreatedAsAStorageOutage() throws Exception {
    ScriptedSocket socket = new ScriptedSocket(new ChatException("forbidden", 0, "no"));
    SendQueue sends = new SendQueue(10, worker, problems::add, new Backoff(ms(1), ms(4), () -> 0));
    sends.online(socket, 1);

    sends.add("general", "hello");

    assertTrue(sends.awaitEmpty(Duration.ofSeconds(20)));
    assertEquals(1, sends.refused());
  }

  private static ChatException unavailable() {
    return new ChatException("unavailable", 0, "the server cannot store right now", 1);
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  /** Answers sends with the scripted failures in turn, then with acks. */
  static final class ScriptedSocket implements ChatSocket {
    final List<String> refs = new CopyOnWriteArrayList<>();
    private final ArrayDeque<ChatException> failures;
    private long seq;

    ScriptedSocket(ChatException... failures) {
      this.failures = new ArrayDeque<>(List.of(failures));
    }

    @Override
    public synchronized CompletableFuture<Ack> send(String roomId, String text, String ref) {
      refs.add(ref);
      ChatException next = failures.poll();
      if (next != null) {
        return CompletableFuture.failedFuture(next);
      }
      return CompletableFuture.completedFuture(new Ack(ref, roomId, ++seq, 0));
    }

    @Override
    public String userId() {
      return "alice";
    }

    @Override
    public String server() {
      return "test";
    }

    @Override
    public CompletableFuture<Joined> join(String roomId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Joined> join(String roomId, long since) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Void> leave(String roomId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<List<ChatMessage>> history(String roomId, long before, int limit) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<List<ChatRoom>> rooms() {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }
}
