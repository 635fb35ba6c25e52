package dev.jchat.cli.bench;

import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The REST half of the history bench: {@code readers} chains of {@code GET
 * /api/rooms/{id}/messages?before=&limit=}, each sending its next request when the last one is
 * answered, on the JDK's HttpClient (HTTP/1.1, keep-alive). Results are counted under a lock, as
 * the client completes requests on its own threads.
 */
final class HistoryRest {
  private final String token;
  private final long lastSeq;
  private final HistoryConfig history;
  private final HttpClient http;
  private final String base;

  // guarded by this
  private final SplittableRandom random = new SplittableRandom(7);
  private final LatencyHistogram latency = new LatencyHistogram();
  private long pages;
  private long shortPages;
  private long failed;
  private boolean warm;
  private long end;

  HistoryRest(BenchConfig config, String token, long lastSeq, HistoryConfig history) {
    this.token = token;
    this.lastSeq = lastSeq;
    this.history = history;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(config.connectTimeout())
            .build();
    this.base =
        config.restBase()
            + "/api/rooms/"
            + URLEncoder.encode(config.roomName(0), StandardCharsets.UTF_8).replace("+", "%20")
            + "/messages?limit="
            + history.page()
            + "&before=";
  }

  /** One phase: adds its pages per second and latency to {@code report} under {@code name}. */
  void phase(boolean warmPhase, String name, Map<String, Object> report, PrintWriter log)
      throws InterruptedException {
    long start = System.nanoTime();
    CountDownLatch chains = new CountDownLatch(history.readers());
    synchronized (this) {
      warm = warmPhase;
      pages = 0;
      shortPages = 0;
      failed = 0;
      latency.clear();
      end = start + history.duration().toNanos();
    }
    for (int i = 0; i < history.readers(); i++) {
      next(chains);
    }
    chains.await(history.duration().toSeconds() + 30, TimeUnit.SECONDS);
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

  private void next(CountDownLatch chains) {
    long before;
    synchronized (this) {
      if (System.nanoTime() >= end) {
        chains.countDown();
        return;
      }
      before = HistoryRun.before(random, warm, lastSeq, history.page());
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + before)).timeout(Duration.ofSeconds(30)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    long asked = System.nanoTime();
    http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
        .whenComplete(
            (response, failure) -> {
              answered(asked, response, failure);
              next(chains);
            });
  }

  private synchronized void answered(long asked, HttpResponse<byte[]> response, Throwable failure) {
    if (failure != null || response.statusCode() != 200) {
      failed++;
      return;
    }
    latency.record((System.nanoTime() - asked) / 1000);
    pages++;
    if (FrameScanner.seqCount(response.body()) < history.page()) {
      shortPages++;
    }
  }
}
