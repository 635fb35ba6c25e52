package dev.jchat.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code chat bench} end to end against {@link SubsetServer}: the report's counts must agree with
 * each other, whatever the timing. Durations only bound the runs.
 */
final class BenchCommandTest {
  @Test
  void rateModeDeliversEveryAckedMessageToEveryMemberOfItsRoom() throws Exception {
    try (SubsetServer server = new SubsetServer(true)) {
      BenchCli run =
          BenchCli.run(
              "--url",
              server.url(),
              "--no-login",
              "--clients",
              "20",
              "--rooms",
              "2",
              "--rate",
              "50",
              "--warmup",
              "200ms",
              "--duration",
              "500ms",
              "--drain",
              "20s");
      assertEquals(0, run.exitCode(), run.err());
      JsonNode r = run.json();
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
      assertTrue(run.out().startsWith("server "), run.out());
    }
  }

  @Test
  void windowModeSendsAgainOnEveryAck() throws Exception {
    try (SubsetServer server = new SubsetServer(true)) {
      BenchCli run =
          BenchCli.run(
              "--url",
              server.url(),
              "--token-prefix",
              "w-",
              "--clients",
              "8",
              "--rooms",
              "4",
              "--senders-per-room",
              "2",
              "--window",
              "4",
              "--warmup",
              "100ms",
              "--duration",
              "300ms",
              "--drain",
              "20s",
              "--threads",
              "2");
      assertEquals(0, run.exitCode(), run.err());
      JsonNode r = run.json();
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
      BenchCli run =
          BenchCli.run(
              "--url",
              server.url(),
              "--no-login",
              "--clients",
              "6",
              "--rooms",
              "3",
              "--window",
              "2",
              "--release",
              "echo",
              "--warmup",
              "0",
              "--duration",
              "300ms",
              "--drain",
              "20s");
      assertEquals(0, run.exitCode(), run.err());
      JsonNode r = run.json();
      assertTrue(r.get("sent").asLong() > 3 * 2, "more than the first windows");
      assertEquals(0, r.get("acked").asLong());
      assertEquals(r.get("sent").asLong(), r.get("echoed").asLong());
      assertEquals(r.get("echoed").asLong() * 2, r.get("delivered").asLong(), "rooms of 2");
    }
  }

  @Test
  void idleClientsOnlyHoldTheirConnections() throws Exception {
    try (SubsetServer server = new SubsetServer(true)) {
      BenchCli run =
          BenchCli.run(
              "--url",
              server.url(),
              "--no-login",
              "--clients",
              "10",
              "--senders-per-room",
              "0",
              "--warmup",
              "0",
              "--duration",
              "100ms");
      assertEquals(0, run.exitCode(), run.err());
      assertEquals(10, run.json().get("connected").asLong());
      assertEquals(0, run.json().get("sent").asLong());
      assertTrue(run.json().get("p50Ms").isNull());
      assertFalse(run.json().has("rate"));
    }
  }

  @Test
  void nothingListeningFailsEveryClientAndExitsNonZero() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there now
    }
    BenchCli run =
        BenchCli.run(
            "--url",
            "ws://127.0.0.1:" + port + "/ws",
            "--no-login",
            "--clients",
            "5",
            "--duration",
            "100ms");
    assertEquals(1, run.exitCode());
    assertEquals(0, run.json().get("connected").asLong());
    assertEquals(5, run.json().get("failures").asLong());
    assertEquals(5, run.json().get("failureReasons").get("connect_refused").asLong());
  }

  @Test
  void signsInOncePerSharedAccountAndCreatesTheRooms() throws Exception {
    try (SubsetServer server = new SubsetServer(true)) {
      String[] args = {
        "--url",
        server.url(),
        "--clients",
        "6",
        "--rooms",
        "2",
        "--users",
        "3",
        "--password",
        "secret-123",
        "--rate",
        "20",
        "--warmup",
        "0",
        "--duration",
        "100ms"
      };
      BenchCli first = BenchCli.run(args);
      assertEquals(0, first.exitCode(), first.err());
      assertEquals(6, first.count("connected"));
      assertEquals(
          Set.of(
              "POST /api/users bench-1",
              "POST /api/users bench-2",
              "POST /api/users bench-3",
              "POST /api/sessions bench-1",
              "POST /api/sessions bench-2",
              "POST /api/sessions bench-3",
              "POST /api/rooms bench-0",
              "POST /api/rooms bench-1"),
          Set.copyOf(server.restCalls));
      assertEquals(8, server.restCalls.size(), "one sign-in per account");
      assertEquals(
          Map.of("bench-1", 2L, "bench-2", 2L, "bench-3", 2L),
          server.hellos.stream().collect(Collectors.groupingBy(u -> u, Collectors.counting())),
          "six sockets share three tokens");

      BenchCli again = BenchCli.run(args);
      assertEquals(0, again.exitCode(), "taken accounts and rooms are fine: " + again.err());
      assertEquals(6, again.count("connected"));
    }
  }

  @Test
  void aFailedSignInStopsTheRunWithTheServersAnswer() throws Exception {
    try (SubsetServer server = new SubsetServer(true)) {
      BenchCli.run(
          "--url",
          server.url(),
          "--clients",
          "1",
          "--users",
          "1",
          "--password",
          "first-password",
          "--duration",
          "100ms");
      BenchCli run =
          BenchCli.run(
              "--url",
              server.url(),
              "--clients",
              "1",
              "--users",
              "1",
              "--password",
              "other-password",
              "--duration",
              "100ms");
      assertEquals(1, run.exitCode());
      assertTrue(run.err().contains("POST /api/sessions answered 401"), run.err());
    }
  }

  @Test
  void rateAndWindowTogetherIsAUsageError() {
    BenchCli run = BenchCli.run("--no-login", "--rate", "5", "--window", "2");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("either --rate or --window"), run.err());
  }

  @Test
  void onlyWsUrlsAreAccepted() {
    BenchCli run = BenchCli.run("--url", "wss://example.com/ws");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("--url must look like ws://host:port/ws"), run.err());
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
}
