package dev.jchat.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jchat.ChatServer;
import dev.jchat.testing.Await;
import dev.jchat.testing.ChatServerExtension;
import dev.jchat.testing.JdkSocket;
import dev.jchat.testing.RawWebSocket;
import dev.jchat.testing.Rest;
import dev.jchat.testing.TestJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One client among active ones stops reading: it is cut off as a slow consumer ({@code error}
 * {@code slow_consumer}, close 1008) once its unsent backlog passes the limit, and the others
 * receive every message meanwhile, and are told it left. The stalled client is a raw socket with a
 * small receive buffer that reads nothing after its {@code joined}.
 */
final class StalledClientTest {
  private static final int LIMIT = 256 * 1024;

  /** The sender stays at most this many messages ahead of its acks and of the active readers. */
  private static final int WINDOW = 8;

  private static final String TEXT = "x".repeat(3_900);

  /**
   * Enough to overflow the kernel too: the server's send buffer grows up to tcp_wmem's maximum (4
   * MiB by default on Linux) in front of a peer that does not read, whatever that peer's SO_RCVBUF,
   * and only what does not fit there counts as backlog. With 4 MiB: 1,520 x 3.9 KB, about 6 MB.
   */
  private static final int MESSAGES = messagesToOverflow();

  private static int messagesToOverflow() {
    long kernel = 4L << 20;
    try {
      kernel =
          Long.parseLong(
              Files.readString(Path.of("/proc/sys/net/ipv4/tcp_wmem")).trim().split("\\s+")[2]);
    } catch (IOException | RuntimeException e) {
      // not Linux: assume its default
    }
    return (int) ((kernel + 2L * LIMIT) * 5 / 4 / TEXT.length()) + WINDOW;
  }

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();
  private ChatServer server;

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private <T extends AutoCloseable> T keep(T c) {
    open.add(c);
    return c;
  }

  @Test
  void stalledClientIsCutOffWhileTheOthersReceiveEverything() {
    server =
        ChatServerExtension.start(
            dir.resolve("chat.db"), b -> b.outboundLimitBytes(LIMIT).rateLimit(0));
    Room room = new Room(server.port(), 2);
    long firstSeq = room.stalled.lastSeqAtJoin + 1;

    room.sendAll();

    // the stalled client reads again: a gap-free prefix, then the slow_consumer error and 1008
    RawWebSocket stalled = room.stalled.socket;
    long expected = firstSeq;
    JsonNode error;
    while (true) {
      RawWebSocket.Frame f = stalled.read();
      assertEquals(RawWebSocket.TEXT, f.opcode(), "a text frame before the close");
      JsonNode json = TestJson.parse(f.text());
      if (json.get("type").asText().equals("message")) {
        assertEquals(
            expected++, json.get("seq").asLong(), "what a slow consumer does get has no gap");
        continue;
      }
      error = json;
      break;
    }
    assertEquals("error", error.get("type").asText(), error.toString());
    assertEquals("slow_consumer", error.get("code").asText());
    assertEquals(1008, stalled.awaitCloseCode());
    assertTrue(stalled.awaitEof());
    assertTrue(
        expected - firstSeq < MESSAGES, "the stalled client was cut off, not sent everything");
    room.sender.recorder().awaitPresence("general", "stalled", "leave"); // the room is told
  }

  @Test
  void clientThatNeverReadsAgainIsDisconnected() throws Exception {
    server =
        ChatServerExtension.start(
            dir.resolve("chat.db"),
            b -> b.outboundLimitBytes(LIMIT).rateLimit(0).pingInterval(Duration.ofSeconds(2)));
    Room room = new Room(server.port(), 2);
    int before = server.connectionCount();

    // the stalled client keeps writing (unsolicited pongs), so it is never idle: only its
    // backlog can get it closed
    room.sendAll(
        () ->
            room.stalled.socket.write(
                RawWebSocket.frame(RawWebSocket.FIN | RawWebSocket.PONG, new byte[0])));

    // its close frame can never be written; the server must not hold the socket forever
    Await.until("the stalled connection is dropped", () -> server.connectionCount() < before);
    String received = new String(room.stalled.socket.readToEnd(), StandardCharsets.UTF_8);
    assertFalse(received.contains("ping timeout"), "closed for its backlog, not for being idle");
    assertFalse(
        received.contains("\"seq\":" + (room.stalled.lastSeqAtJoin + MESSAGES) + ","),
        "cut off before the end");
  }

  @Test
  void readerWhoseCatchUpIsBiggerThanTheLimitIsNotASlowConsumer() {
    // 300 messages of 4,000 three-byte characters: a joined frame of about 3.6 MB, with the
    // default limit of 1 MiB. The client asked for it and reads it; it must get it.
    server = ChatServerExtension.start(dir.resolve("chat.db"), b -> b);
    String text = "\u20ac".repeat(4_000);
    List<CompletableFuture<?>> posts = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      posts.add(server.post("general", "bot", text));
    }
    posts.forEach(CompletableFuture::join);
    Rest api = new Rest(server.port());
    JdkSocket reader =
        keep(JdkSocket.signIn(server.port(), api.signUp("reader", "reader-password")));

    JsonNode joined = reader.join("general", 0L);
    assertEquals(300, joined.get("history").size());
    assertTrue(joined.get("complete").asBoolean());
    reader.send("type", "history", "room", "general", "limit", 200);
    assertEquals(200, reader.recorder().awaitType("history").get("messages").size());
    reader.sendRaw("{\"type\":\"rooms\"}");
    reader.recorder().awaitType("rooms");
    assertFalse(reader.recorder().ended(), "still connected");
    // the same holds for a REST page (2.4 MB here)
    Rest.Response page =
        api.call(
            "GET",
            "/api/rooms/general/messages?limit=200",
            null,
            api.token("reader", "reader-password"));
    assertEquals(200, page.status());
    assertEquals(200, page.json().get("messages").size());
  }

  /** A room with one sender, some active readers and one stalled raw socket. */
  private final class Room {
    final JdkSocket sender;
    final List<JdkSocket> readers = new ArrayList<>();
    final Stalled stalled;

    Room(int port, int readerCount) {
      Rest api = new Rest(port);
      sender = keep(JdkSocket.signIn(port, api.signUp("sender", "sender-password")));
      sender.join("general");
      for (int i = 0; i < readerCount; i++) {
        JdkSocket r = keep(JdkSocket.signIn(port, api.signUp("reader" + i, "reader-password")));
        r.join("general");
        readers.add(r);
      }
      stalled = new Stalled(keep(RawWebSocket.connect(port, null, 4096)));
      stalled.socket.hello(api.signUp("stalled", "stalled-password"));
      stalled.socket.sendText("{\"type\":\"join\",\"room\":\"general\"}");
      JsonNode joined = stalled.socket.readJson();
      assertEquals("joined", joined.get("type").asText());
      stalled.lastSeqAtJoin = joined.get("lastSeq").asLong();
      // from here on the stalled socket is not read
    }

    void sendAll() {
      sendAll(() -> {});
    }

    /**
     * Sends every message, at most {@link #WINDOW} ahead of the sender's acks and of every active
     * reader, which must receive each one, in order and without a gap.
     */
    void sendAll(Runnable beforeEach) {
      long firstSeq = stalled.lastSeqAtJoin + 1;
      for (int i = 0; i < MESSAGES + WINDOW; i++) {
        if (i < MESSAGES) {
          beforeEach.run();
          sender.sendText("general", i + " " + TEXT, null);
        }
        if (i >= WINDOW) {
          long seq = firstSeq + i - WINDOW;
          assertEquals(seq, sender.recorder().awaitType("ack").get("seq").asLong());
          for (JdkSocket r : readers) {
            assertEquals(
                seq,
                r.recorder().awaitType("message").get("seq").asLong(),
                "an active reader misses nothing");
          }
        }
      }
      for (JdkSocket r : readers) {
        assertFalse(r.recorder().ended(), "active readers stay connected");
      }
    }
  }

  private static final class Stalled {
    final RawWebSocket socket;
    long lastSeqAtJoin;

    Stalled(RawWebSocket socket) {
      this.socket = socket;
    }
  }
}
