package dev.jchat.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code chat bench} end to end against {@link SubsetServer}: the report's counts must agree
 * with each other, whatever the timing. Durations only bound the runs.
 */
final class BenchCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void rateModeDeliversEveryAckedMessageToEveryMemberOfItsRoom() throws Exception {
    try (SubsetServer server = new SubsetServer(true)) {
      Run run = bench("--url", server.url(), "--no-login", "--clients", "20", "--rooms", "2",
          "--rate", "50", "--warmup", "200ms", "--duration", "500ms", "--drain", "20s");
      assertEquals(0, run.exitCode, run.err);
      JsonNode r = run.json;
      assertEquals(20, r.get("connected").asLong());
      assertEquals(0, r.get("failures").asLong());
      assertTrue(r.get("sent").asLong() > 0, "sent");
      assertEquals(r.get("sent").asLong(), r.get("acked").asLong());
      assertEquals(r.get("acked").asLong() * 10, r.get("expected").asLong(), "10 members each");
      assertEquals(r.get("expected").asLong(), r.get("delivered").asLong());
      assertTrue(r.get("p50Ms").asDouble() <= r.get("p99Ms").asDouble());
      assertTrue(r.get("p99Ms").asDouble() <= r.get("maxMs").asDouble());
      assertEquals(0, r.get("errors").size());
      assertEquals(0, r.get("closes").size(), "the server closed nobody");
      assertEquals(50.0, r.get("rate").asDouble());
      assertTrue(run.out.startsWith("server "), run.out);
    }
  }

  @Test
  void windowModeSendsAgainOnEveryAck() throws Exception {
    try (SubsetServer server = new SubsetServer(true)) {
      Run run = bench("--url", server.url(), "--token-prefix", "w-", "--clients", "8", "--rooms",
          "4", "--senders-per-room", "2", "--window", "4", "--warmup", "100ms", "--duration",
          "300ms", "--drain", "20s", "--threads", "2");
      assertEquals(0, run.exitCode, run.err);
      JsonNode r = run.json;
      assertEquals(8, r.get("connected").asLong());
      assertTrue(r.get("sent").asLong() > 8 * 4, "more than the first windows");
      assertEquals(r.get("sent").asLong(), r.get("acked").asLong());
      assertEquals(r.get("acked").asLong() * 2, r.get("delivered").asLong(), "rooms of 2");
      assertEquals(4, r.get("window").asInt());
    }
  }

  @Test
  void echoReleaseKeepsTheWindowMovingWithoutAcks() throws Exception {
    try (SubsetServer server = new SubsetServer(false)) {
      Run run = bench("--url", server.url(), "--no-login", "--clients", "6", "--rooms", "3",
          "--window", "2", "--release", "echo", "--warmup", "0", "--duration", "300ms",
          "--drain", "20s");
      assertEquals(0, run.exitCode, run.err);
      JsonNode r = run.json;
      assertTrue(r.get("sent").asLong() > 3 * 2, "more than the first windows");
      assertEquals(0, r.get("acked").asLong());
      assertEquals(r.get("sent").asLong(), r.get("echoed").asLong());
      assertEquals(r.get("echoed").asLong() * 2, r.get("delivered").asLong(), "rooms of 2");
    }
  }

  @Test
  void idleClientsOnlyHoldTheirConnections() throws Exception {
    try (SubsetServer server = new SubsetServer(true)) {
      Run run = bench("--url", server.url(), "--no-login", "--clients", "10", "--senders-per-room",
          "0", "--warmup", "0", "--duration", "100ms");
      assertEquals(0, run.exitCode, run.err);
      assertEquals(10, run.json.get("connected").asLong());
      assertEquals(0, run.json.get("sent").asLong());
      assertTrue(run.json.get("p50Ms").isNull());
      assertFalse(run.json.has("rate"));
    }
  }

  @Test
  void nothingListeningFailsEveryClientAndExitsNonZero() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there now
    }
    Run run = bench("--url", "ws://127.0.0.1:" + port + "/ws", "--no-login", "--clients", "5",
        "--duration", "100ms");
    assertEquals(1, run.exitCode);
    assertEquals(0, run.json.get("connected").asLong());
    assertEquals(5, run.json.get("failures").asLong());
    assertEquals(5, run.json.get("failureReasons").get("connect_refused").asLong());
  }

  @Test
  void rateAndWindowTogetherIsAUsageError() {
    Run run = bench("--no-login", "--rate", "5", "--window", "2");
    assertEquals(2, run.exitCode);
    assertTrue(run.err.contains("either --rate or --window"), run.err);
  }

  @Test
  void onlyWsUrlsAreAccepted() {
    Run run = bench("--url", "wss://example.com/ws");
    assertEquals(2, run.exitCode);
    assertTrue(run.err.contains("--url must look like ws://host:port/ws"), run.err);
  }

  @Test
  void durationsTakeAUnitOrMeanSeconds() {
    BenchCommand.DurationConverter c = new BenchCommand.DurationConverter();
    assertEquals(Duration.ofSeconds(10), c.convert("10"));
    assertEquals(Duration.ofSeconds(10), c.convert("10s"));
    assertEquals(Duration.ofMillis(500), c.convert("500ms"));
    assertEquals(Duration.ofMillis(1500), c.convert("1.5s"));
    assertEquals(Duration.ofMinutes(2), c.convert("2m"));
  }

  private record Run(int exitCode, String out, String err, JsonNode json) {}

  private static Run bench(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new CommandLine(new BenchCommand())
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
    List<String> lines = new ArrayList<>(out.toString().lines().toList());
    JsonNode json = null;
    if (!lines.isEmpty() && lines.get(lines.size() - 1).startsWith("{")) {
      try {
        json = JSON.readTree(lines.get(lines.size() - 1));
      } catch (IOException e) {
        throw new AssertionError("The last line is not JSON: " + lines, e);
      }
    }
    return new Run(code, out.toString(), err.toString(), json);
  }
}
