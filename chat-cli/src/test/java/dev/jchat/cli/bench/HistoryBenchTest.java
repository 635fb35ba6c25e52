package dev.jchat.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jchat.ChatServer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@code chat bench history} against the real server, embedded, over real sockets and REST. */
final class HistoryBenchTest {

  @Test
  void fillsTheRoomAndReadsFullPagesOverTheSocketAndRest() throws Exception {
    try (ChatServer server =
        ChatServer.builder()
            .port(0)
            .inMemoryDatabase()
            .passwordIterations(1000)
            .rateLimit(0)
            .readsPerSecond(0)
            .build()
            .start()) {
      String url = "ws://127.0.0.1:" + server.port() + "/ws";
      String[] args = {
        "history",
        "--url",
        url,
        "--messages",
        "700",
        "--seeders",
        "2",
        "--seed-window",
        "16",
        "--readers",
        "2",
        "--page",
        "50",
        "--duration",
        "200ms",
        "--warmup",
        "100ms"
      };
      BenchCli run = BenchCli.run(args);
      assertEquals(0, run.exitCode(), run.out() + run.err());
      assertEquals(700, run.count("seeded"), run.out());
      assertEquals(700, run.count("messagesInRoom"), run.out());
      for (String phase : new String[] {"socketCold", "socketWarm", "restCold", "restWarm"}) {
        assertTrue(run.count(phase + "PagesPerSec") > 0, phase + ": " + run.out());
        assertEquals(0, run.count(phase + "ShortPages"), phase + ": " + run.out());
      }
      assertEquals(0, run.count("restColdFailed"), run.out());
      assertEquals(0, run.count("restWarmFailed"), run.out());
      assertEquals(0, run.json().get("errors").size(), run.out());
      assertEquals(0.1, run.json().get("warmupSeconds").asDouble(), run.out());
      assertTrue(run.json().get("socketWarmupPagesPerSec") == null, "not measured: " + run.out());

      BenchCli again = BenchCli.run(args);
      assertEquals(0, again.exitCode(), again.out() + again.err());
      assertEquals(0, again.count("seeded"), "the room is full already");
      assertEquals(700, again.count("messagesInRoom"), again.out());
    }
  }

  @Test
  void pagesAreWholeAndWithinTheRoom() {
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 10_000; i++) {
      long cold = HistoryRun.before(random, false, 1_000_000, 50);
      assertTrue(cold > 50 && cold <= 1_000_001 && (1_000_001 - cold) % 50 == 0, "cold " + cold);
      long warm = HistoryRun.before(random, true, 1_000_000, 50);
      assertTrue(warm > 1_000_001 - 100 * 50, "warm " + warm);
    }
  }
}
