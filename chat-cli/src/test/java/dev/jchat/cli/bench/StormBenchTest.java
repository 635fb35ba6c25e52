package dev.jchat.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jchat.ChatServer;
import org.junit.jupiter.api.Test;

/** {@code chat bench storm} against the real server, embedded, over real sockets. */
final class StormBenchTest {

  @Test
  void everyDroppedMemberResumesAndGetsEveryMissedMessageExactlyOnce() throws Exception {
    try (ChatServer server =
        ChatServer.builder()
            .port(0)
            .inMemoryDatabase()
            .passwordIterations(1000)
            .rateLimit(0)
            .build()
            .start()) {
      BenchCli run =
          BenchCli.run(
              "storm",
              "--url",
              "ws://127.0.0.1:" + server.port() + "/ws",
              "--clients",
              "24",
              "--room-size",
              "6",
              "--users",
              "3",
              "--missed",
              "3",
              "--rate",
              "20",
              "--steady",
              "300ms");
      assertEquals(0, run.exitCode(), run.out() + run.err());
      assertEquals(28, run.count("joined"), "24 members and 4 stayers");
      assertEquals(24, run.count("dropped"), run.out());
      assertEquals(24, run.count("resumed"), run.out());
      assertTrue(run.count("missed") >= 24 * 3, "each member missed at least the burst");
      assertEquals(run.count("missed"), run.count("missedDelivered"), run.out());
      assertEquals(run.count("owed"), run.count("delivered"), run.out());
      assertEquals(0, run.count("gaps"), run.out());
      assertEquals(0, run.count("duplicates"), run.out());
      assertEquals(0, run.json().get("failures").size(), run.out());
      assertEquals(0, run.json().get("errors").size(), run.out());
      assertTrue(run.json().get("joinP99Ms").isNumber(), run.out());
    }
  }

  @Test
  void aServerWithoutHistoryHasGapsAndFails() throws Exception {
    try (SubsetServer server = new SubsetServer(true)) {
      BenchCli run =
          BenchCli.run(
              "storm",
              "--url",
              server.url(),
              "--no-login",
              "--clients",
              "4",
              "--room-size",
              "2",
              "--missed",
              "2",
              "--rate",
              "0",
              "--steady",
              "100ms");
      assertEquals(1, run.exitCode(), run.out() + run.err());
      assertEquals(4, run.count("resumed"), run.out());
      assertEquals(8, run.count("owed"), "2 sent to each of 4 members while they were away");
      assertEquals(0, run.count("delivered"), run.out());
      assertEquals(8, run.count("gaps"), run.out());
    }
  }
}
