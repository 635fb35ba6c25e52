package dev.jchat.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jchat.ChatServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code chat bench} against the real server, embedded, signing in over REST. */
final class ChatServerBenchTest {

  @Test
  void fanOutThroughTheServerDeliversEveryAckedMessageToEveryMember() throws Exception {
    try (ChatServer server =
        ChatServer.builder()
            .port(0)
            .inMemoryDatabase()
            .passwordIterations(1000)
            .rateLimit(0)
            .rooms(List.of("general"))
            .build()
            .start()) {
      BenchCli run =
          BenchCli.run(
              "--url",
              "ws://127.0.0.1:" + server.port() + "/ws",
              "--clients",
              "20",
              "--rooms",
              "2",
              "--users",
              "4",
              "--rate",
              "20",
              "--warmup",
              "200ms",
              "--duration",
              "1s",
              "--drain",
              "20s");
      assertEquals(0, run.exitCode(), run.err());
      assertEquals(20, run.count("connected"), run.out());
      assertEquals(0, run.count("failures"), run.out());
      assertTrue(run.count("sent") > 0, run.out());
      assertEquals(run.count("sent"), run.count("acked"), run.out());
      assertEquals(run.count("acked") * 10, run.count("expected"), "rooms of 10");
      assertEquals(run.count("expected"), run.count("delivered"), run.out());
      assertEquals(0, run.json().get("errors").size(), run.out());
      assertEquals(0, run.json().get("closes").size(), run.out());
    }
  }

  @Test
  void aSecondRunReusesTheAccountsAndRooms() throws Exception {
    try (ChatServer server =
        ChatServer.builder()
            .port(0)
            .inMemoryDatabase()
            .passwordIterations(1000)
            .rateLimit(0)
            .build()
            .start()) {
      String[] args = {
        "--url",
        "ws://127.0.0.1:" + server.port() + "/ws",
        "--clients",
        "4",
        "--rooms",
        "2",
        "--users",
        "2",
        "--window",
        "2",
        "--warmup",
        "0",
        "--duration",
        "200ms",
        "--drain",
        "20s"
      };
      assertEquals(0, BenchCli.run(args).exitCode());
      BenchCli second = BenchCli.run(args);
      assertEquals(0, second.exitCode(), second.err());
      assertEquals(4, second.count("connected"), second.out());
      assertEquals(second.count("sent"), second.count("acked"), second.out());
      assertEquals(second.count("acked") * 2, second.count("delivered"), second.out());
    }
  }
}
