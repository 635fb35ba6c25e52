package dev.jchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jchat.ChatServer;
import dev.jchat.testing.ChatServerExtension;
import dev.jchat.testing.JdkSocket;
import dev.jchat.testing.Rest;
import dev.jchat.testing.TestJson;
import dev.jchat.testing.TestStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * History with the newest messages kept in memory, so small here (16 KiB in all, 1 KiB a room:
 * about six messages) that every read below crosses a tail's edge: over the socket and REST, pages
 * and joins' catch-ups are the room's messages exactly. On PostgreSQL nothing is kept.
 */
class HistoryMemoryTest {
  private static final long MEMORY = 16 * 1024;
  static final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @RegisterExtension
  static final ChatServerExtension server =
      ChatServerExtension.create(b -> b.historyMemoryBytes(MEMORY).meterRegistry(registry));

  @Test
  void pagesAndCatchUpsAcrossTheEdgeOfWhatIsKeptAreExact() {
    Rest.User author = server.newUser("keeper");
    String room = server.rest().newPublicRoom(author);
    JdkSocket socket = server.joined(author, room);
    socket.sendAll(room, "m", 40);
    JdkSocket reader = server.signIn(server.newUser("scroller"));

    for (long before = 41; before >= 1; before--) {
      List<Long> expected = TestJson.range(Math.max(1, before - 5), before - 1);
      reader.send("type", "history", "room", room, "before", before, "limit", 5);
      JsonNode page = reader.recorder().awaitType("history");
      assertEquals(expected, TestJson.seqs(page.path("messages")), "socket before " + before);
      JsonNode rest = server.rest().messages(author.token(), room, "limit=5&before=" + before);
      assertEquals(expected, TestJson.seqs(rest), "REST before " + before);
    }
    for (long after = 0; after <= 40; after += 7) {
      JsonNode rest = server.rest().messages(author.token(), room, "limit=5&after=" + after);
      assertEquals(
          TestJson.range(after + 1, Math.min(40, after + 5)),
          TestJson.seqs(rest),
          "after " + after);
    }
    for (long since : new long[] {0, 33, 38, 39, 40}) {
      JsonNode joined = server.signIn(server.newUser("back")).join(room, since);
      assertEquals(TestJson.range(since + 1, 40), TestJson.seqs(joined.path("history")));
      assertEquals(40, joined.path("lastSeq").asLong());
    }
    socket.sendAll(room, "n", 10);
    JsonNode newest = server.rest().messages(author.token(), room, "limit=5");
    assertEquals(TestJson.range(46, 50), TestJson.seqs(newest), "what came after is read too");
    List<Long> all =
        server.rest().history(author.token(), room).stream()
            .map(m -> m.path("seq").asLong())
            .toList();
    assertEquals(TestJson.range(1, 50), all);

    Gauge held = registry.find("chat.history.memory").gauge();
    if (TestStore.postgres()) {
      assertNull(held, "PostgreSQL may have other writers: every read asks it");
    } else {
      assertNotNull(held, registry.getMetersAsString());
      assertTrue(held.value() > 0 && held.value() <= MEMORY, "held: " + held.value());
    }
  }

  /**
   * A page held in memory is answered on the event loop, without a worker: it is refused there as
   * anywhere, to a member who was removed, to a non-member and for a limit out of range.
   */
  @Test
  void aPageHeldInMemoryIsRefusedAsAnyOther() {
    Rest.User owner = server.newUser("owner");
    Rest.User bob = server.newUser("bob");
    String room = server.rest().newPrivateRoom(owner, bob.userId());
    server.joined(owner, room).sendAll(room, "m", 4);
    JdkSocket bobs = server.signIn(bob);
    for (int i = 0; i < 3; i++) { // the first loads the room's tail; the others are held
      bobs.send("type", "history", "room", room, "limit", 3);
      assertEquals(
          TestJson.range(2, 4),
          TestJson.seqs(bobs.recorder().awaitType("history").path("messages")));
    }
    for (int limit : new int[] {0, 201}) {
      bobs.send("type", "history", "room", room, "limit", limit, "ref", "l" + limit);
      assertEquals("l" + limit, bobs.recorder().awaitError("bad_request").path("ref").asText());
    }
    JdkSocket carols = server.signIn(server.newUser("carol"));
    carols.send("type", "history", "room", room, "limit", 3);
    carols.recorder().awaitError("not_found");

    server
        .rest()
        .delete(Rest.roomPath(room) + "/members/" + bob.userId(), owner.token())
        .assertStatus(204);
    bobs.recorder().awaitType("membership");
    bobs.send("type", "history", "room", room, "limit", 3);
    bobs.recorder().awaitError("not_found");
  }

  @Test
  void aBoundSmallerThanOneMessageKeepsAtMostOneAndReadsTheRestFromTheFile(@TempDir Path dir)
      throws Exception {
    try (ChatServer tiny =
        ChatServerExtension.start(
            Files.createDirectories(dir).resolve("chat.db"), b -> b.historyMemoryBytes(10))) {
      for (int i = 1; i <= 3; i++) {
        tiny.post("general", "bot", "hello " + i).get(10, TimeUnit.SECONDS);
      }
      Rest rest = new Rest(tiny.port());
      Rest.User reader = rest.newUser("tiny");
      assertEquals(
          TestJson.range(1, 3), TestJson.seqs(rest.messages(reader.token(), "general", "")));
      assertEquals(
          TestJson.range(2, 3), TestJson.seqs(rest.messages(reader.token(), "general", "after=1")));
    }
  }

  /** A held page too big for the event loop is answered by a worker, the same page. */
  @Test
  void aBigHeldPageIsTheSamePage(@TempDir Path dir) throws Exception {
    try (ChatServer big =
        ChatServerExtension.start(Files.createDirectories(dir).resolve("chat.db"), b -> b)) {
      for (int i = 1; i <= 20; i++) { // 80,000 characters: past the loop's 64 Ki
        big.post("general", "bot", String.valueOf(i % 10).repeat(4_000)).get(10, TimeUnit.SECONDS);
      }
      Rest rest = new Rest(big.port());
      JdkSocket reader = JdkSocket.signIn(big.port(), rest.newUser("big").token());
      for (int i = 0; i < 2; i++) { // the first loads the room's tail; the second is held
        reader.send("type", "history", "room", "general", "limit", 20);
        JsonNode messages = reader.recorder().awaitType("history").path("messages");
        assertEquals(TestJson.range(1, 20), TestJson.seqs(messages));
        assertEquals("0".repeat(4_000), messages.get(9).path("text").asText());
      }
    }
  }

  @Test
  void aNegativeBoundIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ChatServer.builder().historyMemoryBytes(-1));
    assertEquals("historyMemoryBytes must not be negative", e.getMessage());
  }
}
