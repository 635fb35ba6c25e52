package dev.jchat.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The REST half of the history bench: {@code readers} threads, each with one keep-alive connection
 * ({@link PlainHttpGet}) that asks {@code GET /api/rooms/{id}/messages?before=&limit=} again as
 * soon as the last answer is in. Results are counted under this object's lock.
 */
final class HistoryRest {
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

  private final String authorization;
  private final long lastSeq;
  private final HistoryConfig history;
  private final InetSocketAddress server;
  private final String host;
  private final String target;

  // guarded by this
  private final SplittableRandom random = new SplittableRandom(7);
  private final LatencyHistogram latency = new LatencyHistogram();
  private long pages;
  private long shortPages;
  private long failed;
  private boolean warm;
  private long end;

  HistoryRest(BenchConfig config, String token, long lastSeq, HistoryConfig history) {
    this.authorization = token == null ? null : "Bearer " + token;
    this.lastSeq = lastSeq;
    this.history = history;
    URI base = config.restBase();
    this.server = new InetSocketAddress(base.getHost(), base.getPort());
    this.host = config.hostHeader();
    this.target =
        "/api/rooms/"
            + URLEncoder.encode(config.roomName(0), StandardCharsets.UTF_8).replace("+", "%20")
            + "/messages?limit="
            + history.page()
            + "&before=";
  }

  /**
   * One phase of {@code length}: adds its pages per second and latency to {@code report} under
   * {@code name}.
   */
  void phase(
      boolean warmPhase, String name, Duration length, Map<String, Object> report, PrintWriter log)
      throws InterruptedException {
    long start = System.nanoTime();
    synchronized (this) {
      warm = warmPhase;
      pages = 0;
      shortPages = 0;
      failed = 0;
      latency.clear();
      end = start + length.toNanos();
    }
    List<Thread> readers = new ArrayList<>();
    for (int i = 0; i < history.readers(); i++) {
      Thread reader = new Thread(this::read, "history-rest-" + i);
      reader.setDaemon(true);
      reader.start();
      readers.add(reader);
    }
    for (Thread reader : readers) {
      // an answer takes at most ANSWER_TIMEOUT, after which the reader stops by itself
      reader.join(length.toMillis() + ANSWER_TIMEOUT.toMillis() + 5_000);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    synchronized (this) {
      long perSec = Math.round(pages / seconds);
      report.put(name + "PagesPerSec", perSec);
      report.put(name + "P50Ms", HistoryRun.ms(latency, 50));
      report.put(name + "P99Ms", HistoryRun.ms(latency, 99));
      report.put(name + "ShortPages", shortPages);
      report.put(name + "Failed", failed);
      log.printf(
          "%s: %d pages/s, p50 %s ms, p99 %s ms%n",
          name, perSec, HistoryRun.ms(latency, 50), HistoryRun.ms(latency, 99));
    }
  }

  /** One reader: a request, its answer, the next, until the phase ends. */
  private void read() {
    try (PlainHttpGet http = new PlainHttpGet(server, host, ANSWER_TIMEOUT)) {
      long before;
      while ((before = nextBefore()) >= 0) {
        long asked = System.nanoTime();
        PlainHttpGet.Answer answer = null;
        try {
          answer = http.get(target + before, authorization);
        } catch (IOException e) {
          // counted as failed; the next request reconnects
        }
        answered(asked, answer);
      }
    }
  }

  /** The next page's {@code before}, or -1 once the phase is over. */
  private synchronized long nextBefore() {
    if (System.nanoTime() >= end) {
      return -1;
    }
    return HistoryRun.before(random, warm, lastSeq, history.page());
  }

  private synchronized void answered(long asked, PlainHttpGet.Answer answer) {
    if (answer == null || answer.status() != 200) {
      failed++;
      return;
    }
    latency.record((System.nanoTime() - asked) / 1000);
    pages++;
    if (FrameScanner.seqCount(answer.body()) < history.page()) {
      shortPages++;
    }
  }
}
