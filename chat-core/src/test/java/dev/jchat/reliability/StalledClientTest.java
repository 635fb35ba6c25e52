package dev.jchat.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jchat.ChatServer;
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
 * receive every message meanwhile. The stalled client is a raw socket that reads nothing after its
 * {@code joined}.
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
    for (AutoCloseable c : open) c.close();
    if (server != null) server.close();
  }

  private <T extends AutoCloseable> T keep(T c) {
    open.add(c);
    return c;
  }

  @Test
  void stalledClientIsCutOffWhileTheOthersReceiveEverything() {
    server =
        TestServers.start(dir.resolve("chat.db"), b -> b.outboundLimitBytes(LIMIT).rateLimit(0));
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
      JsonNode json = Api.parse(f.text());
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
  }

  @Test
  void clientThatNeverReadsAgainIsDisconnected() throws Exception {
    server =
        TestServers.start(
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
    String received = new String(room.stalled.socket.in.readAllBytes(), StandardCharsets.UTF_8);
    assertFalse(received.contains("ping timeout"), "closed for its backlog, not for being idle");
    assertFalse(
        received.contains("\"seq\":" + (room.stalled.lastSeqAtJoin + MESSAGES) + ","),
        "cut off before the end");
  }

  @Test
  void readerWhoseCatchUpIsBiggerThanTheLimitIsNotASlowConsumer() {
    // 300 messages of 4,000 three-byte characters: a joined frame of about 3.6 MB, with the
    // default limit of 1 MiB. The client asked for it and reads it; it must get it.
    server = TestServers.start(dir.resolve("chat.db"));
    String text = "\u20ac".repeat(4_000);
    List<CompletableFuture<?>> posts = new ArrayList<>();
    for (int i = 0; i < 300; i++) posts.add(server.post("general", "bot", text));
    posts.forEach(CompletableFuture::join);
    Api api = new Api(server.port());
    ChatSocket reader =
        keep(ChatSocket.signedIn(server.port(), api.signUp("reader", "reader-password")));

    reader.send(
        Api.JSON.createObjectNode().put("type", "join").put("room", "general").put("since", 0));
    JsonNode joined = reader.nextOfType("joined");
    assertEquals(300, joined.get("history").size());
    assertTrue(joined.get("complete").asBoolean());
    reader.send(
        Api.JSON
            .createObjectNode()
            .put("type", "history")
            .put("room", "general")
            .put("limit", 200));
    assertEquals(200, reader.nextOfType("history").get("messages").size());
    reader.sendText("{\"type\":\"rooms\"}");
    reader.nextOfType("rooms");
    assertFalse(reader.closeCode.isDone(), "still connected");
    // the same holds for a REST page (2.4 MB here)
    Api.Reply page =
        api.call(
            "GET",
            "/api/rooms/general/messages?limit=200",
            null,
            api.login("reader", "reader-password"));
    assertEquals(200, page.status());
    assertEquals(200, page.body().get("messages").size());
  }

  /** A room with one sender, some active readers and one stalled raw socket. */
  private final class Room {
    final ChatSocket sender;
    final List<ChatSocket> readers = new ArrayList<>();
    final Stalled stalled;

    Room(int port, int readerCount) {
      Api api = new Api(port);
      sender = keep(ChatSocket.signedIn(port, api.signUp("sender", "sender-password")));
      sender.join("general");
      for (int i = 0; i < readerCount; i++) {
        ChatSocket r = keep(ChatSocket.signedIn(port, api.signUp("reader" + i, "reader-password")));
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
          sender.sendMessage("general", i + " " + TEXT, null);
        }
        if (i >= WINDOW) {
          long seq = firstSeq + i - WINDOW;
          assertEquals(seq, sender.nextOfType("ack").get("seq").asLong());
          for (ChatSocket r : readers) {
            assertEquals(
                seq,
                r.nextOfType("message").get("seq").asLong(),
                "an active reader misses nothing");
          }
        }
      }
      for (ChatSocket r : readers)
        assertFalse(r.closeCode.isDone(), "active readers stay connected");
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
