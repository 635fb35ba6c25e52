package dev.jchat.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * History reads: fills one room up to {@code messages} (sending with a window of unacked sends,
 * only what is missing), then has {@code readers} sockets each keep one {@code history} request in
 * flight, first over random pages of the whole room (<em>cold</em>: each page most likely read for
 * the first time) and then over its newest 100 pages again and again (<em>warm</em>). The same two
 * phases over REST are {@link HistoryRest}'s. Single-threaded: one selector drives the sockets.
 */
final class HistoryRun implements LoadSocket.Listener {
  /** Seeding fails when no send is acked for this long. */
  private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(30);

  /** The newest pages the warm phase rereads. */
  static final int WARM_PAGES = 100;

  private final HistoryConfig history;
  private final BenchConfig config;
  private final PrintWriter log;
  private final long origin = System.nanoTime();
  private final ClientFrames frames;
  private final Selector selector;
  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(1024 * 1024);
  private final List<LoadSocket> dirty = new ArrayList<>();
  private final List<LoadSocket> sockets = new ArrayList<>();
  private final SplittableRandom random = new SplittableRandom(42);
  private final Map<String, Long> errors = new TreeMap<>();
  private final Map<String, Object> report = new LinkedHashMap<>();
  private final int sockets0;
  private final long[] unacked;
  private final long[] askedAt;
  private List<String> tokens;
  private long lastSeq = -1;
  private int joined;
  private int lost;

  // seeding: sends go out while the room's last acked seq plus those in flight is short of the
  // target, so a seeder lost with sends in flight (a slow consumer of its own room's messages,
  // say) leaves its share to the others
  private long inFlight;
  private long progressAt;
  private int seedersLost;

  // reading
  private boolean warm;
  private boolean reading;
  private long pages;
  private long shortPages;
  private LatencyHistogram latency;

  HistoryRun(HistoryConfig history, PrintWriter log) throws IOException {
    this.history = history;
    this.config = history.base();
    this.log = log;
    this.frames = new ClientFrames(new String[] {config.roomName(0)}, config.payload(), origin);
    this.selector = Selector.open();
    this.sockets0 = history.seeders() + history.readers();
    this.unacked = new long[history.seeders()];
    this.askedAt = new long[sockets0];
  }

  Map<String, Object> run() throws IOException, InterruptedException {
    try {
      if (config.login()) {
        log.printf("signing in %d account(s) at %s%n", config.users(), config.restBase());
        tokens = new BenchAccounts(config).signIn();
      }
      connect();
      rss("rssStartKb");
      seed();
      rss("rssSeededKb");
      HistoryRest rest =
          new HistoryRest(config, tokens == null ? null : tokens.get(0), lastSeq, history);
      if (!history.warmup().isZero()) {
        Map<String, Object> unmeasured = new LinkedHashMap<>();
        if (history.socket()) {
          read(false, "socketWarmup", history.warmup(), unmeasured);
        }
        if (history.rest()) {
          rest.phase(false, "restWarmup", history.warmup(), unmeasured, log);
        }
        report.put("warmupSeconds", history.warmup().toMillis() / 1e3);
      }
      if (history.socket()) {
        read(false, "socketCold", history.duration(), report);
        read(true, "socketWarm", history.duration(), report);
        rss("rssAfterSocketKb");
      }
      if (history.rest()) {
        rest.phase(false, "restCold", history.duration(), report, log);
        rest.phase(true, "restWarm", history.duration(), report, log);
        rss("rssAfterRestKb");
      }
      report.put("messagesInRoom", lastSeq);
      report.put("pageSize", history.page());
      report.put("readers", history.readers());
      report.put("errors", errors);
      report.put("lost", lost);
      report.put("url", config.url().toString());
      return report;
    } finally {
      for (LoadSocket s : sockets) {
        s.drop();
      }
      selector.close();
    }
  }

  private void connect() throws IOException {
    InetSocketAddress server = new InetSocketAddress(config.url().getHost(), config.port());
    for (int i = 0; i < sockets0; i++) {
      sockets.add(
          LoadSocket.connect(i, this, frames, selector, server, null, config, dirty, clock()));
    }
    loopUntil(() -> joined + lost >= sockets0, clock() + config.connectTimeout().toNanos());
    if (joined < sockets0) {
      throw new IOException(joined + " of " + sockets0 + " sockets are ready.");
    }
  }

  private void seed() throws IOException {
    long first = lastSeq;
    long start = clock();
    if (lastSeq < history.messages()) {
      log.printf(
          "seeding %d message(s) into %s%n", history.messages() - lastSeq, config.roomName(0));
      progressAt = start;
      topUpAll();
      loopUntil(
          () -> lastSeq >= history.messages() || clock() - progressAt > STALL_NANOS,
          Long.MAX_VALUE);
      if (lastSeq < history.messages()) {
        throw new IOException("seeding stalled at " + lastSeq + " messages: " + errors);
      }
    }
    double seconds = (clock() - start) / 1e9;
    long seeded = lastSeq - first;
    report.put("seeded", seeded);
    report.put("seedPerSec", seeded == 0 ? null : Math.round(seeded / seconds));
    log.printf("room holds %d message(s)%n", lastSeq);
  }

  private void topUp(LoadSocket s) {
    while (!s.isClosed()
        && lastSeq + inFlight < history.messages()
        && unacked[s.index] < history.window()) {
      s.send(frames.send(0, clock(), s.index));
      inFlight++;
      unacked[s.index]++;
    }
  }

  private void topUpAll() {
    for (int i = 0; i < history.seeders(); i++) {
      topUp(sockets.get(i));
    }
  }

  /** One phase of {@code length}: its pages per second and latency go into {@code into}. */
  private void read(boolean warmPhase, String name, Duration length, Map<String, Object> into)
      throws IOException {
    warm = warmPhase;
    pages = 0;
    shortPages = 0;
    latency = new LatencyHistogram();
    reading = true;
    long start = clock();
    for (int i = history.seeders(); i < sockets0; i++) {
      ask(sockets.get(i));
    }
    loopUntil(() -> false, start + length.toNanos());
    reading = false;
    double seconds = (clock() - start) / 1e9;
    loopUntil(this::allAnswered, clock() + TimeUnit.SECONDS.toNanos(5));
    long perSec = Math.round(pages / seconds);
    into.put(name + "PagesPerSec", perSec);
    into.put(name + "P50Ms", ms(latency, 50));
    into.put(name + "P99Ms", ms(latency, 99));
    into.put(name + "ShortPages", shortPages);
    log.printf(
        "%s: %d pages/s, p50 %s ms, p99 %s ms%n", name, perSec, ms(latency, 50), ms(latency, 99));
  }

  private boolean allAnswered() {
    for (int i = history.seeders(); i < sockets0; i++) {
      if (askedAt[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private void ask(LoadSocket s) {
    askedAt[s.index] = clock();
    long before = before(random, warm, lastSeq, history.page());
    s.send(frames.history(config.roomName(0), before, history.page()));
  }

  /**
   * The {@code before} of the next page: uniform over the room's full pages when cold, among the
   * newest {@link #WARM_PAGES} pages when warm.
   */
  static long before(SplittableRandom random, boolean warm, long lastSeq, int page) {
    long fullPages = Math.max(1, lastSeq / page);
    long pageIndex = random.nextLong(warm ? Math.min(WARM_PAGES, fullPages) : fullPages);
    return lastSeq + 1 - pageIndex * page;
  }

  // ---- socket events ----

  @Override
  public void opened(LoadSocket s) {
    String token =
        tokens == null ? config.tokenPrefix() + s.index : tokens.get(s.index % tokens.size());
    s.send(frames.hello(token));
  }

  @Override
  public void text(LoadSocket s, byte[] f) {
    switch (FrameScanner.type(f)) {
      case FrameScanner.WELCOME -> welcome(s);
      case FrameScanner.JOINED -> {
        lastSeq = Math.max(lastSeq, FrameScanner.numberField(f, "lastSeq"));
        joined++;
      }
      case FrameScanner.ACK -> {
        inFlight--;
        unacked[s.index]--;
        progressAt = clock();
        lastSeq = Math.max(lastSeq, FrameScanner.seq(f));
        topUp(s);
      }
      case FrameScanner.HISTORY -> answered(s, f);
      case FrameScanner.ERROR -> {
        errors.merge(String.valueOf(FrameScanner.stringField(f, "code")), 1L, Long::sum);
        if (askedAt[s.index] > 0) {
          answered(s, f);
        }
      }
      default -> {
        // live messages of the room (our own seeding) and presence: not counted
      }
    }
  }

  /** Seeders join the room (to send, and to learn its last seq); readers only read. */
  private void welcome(LoadSocket s) {
    if (s.index < history.seeders()) {
      s.send(frames.join(config.roomName(0)));
    } else {
      joined++;
    }
  }

  private void answered(LoadSocket s, byte[] f) {
    long now = clock();
    latency.record((now - askedAt[s.index]) / 1000);
    askedAt[s.index] = 0;
    pages++;
    if (FrameScanner.seqCount(f) < history.page()) {
      shortPages++;
    }
    if (reading) {
      ask(s);
    }
  }

  @Override
  public void lost(LoadSocket s, String reason) {
    lost++;
    errors.merge("lost_" + reason, 1L, Long::sum);
    if (s.index < history.seeders()) {
      seedersLost++;
      inFlight -= unacked[s.index];
      unacked[s.index] = 0;
      if (seedersLost < history.seeders()) {
        topUpAll();
      }
    }
  }

  // ---- the loop ----

  private void loopUntil(BooleanSupplier done, long deadline) throws IOException {
    while (!done.getAsBoolean()) {
      long now = clock();
      if (now >= deadline) {
        return;
      }
      flushDirty();
      long waitMillis = Math.max(1, Math.min(50, TimeUnit.NANOSECONDS.toMillis(deadline - now)));
      selector.select(k -> ((LoadSocket) k.attachment()).ready(k, readBuffer), waitMillis);
      flushDirty();
      if (lost >= sockets0) {
        throw new IOException("every socket was lost: " + errors);
      }
    }
  }

  private void flushDirty() {
    for (int i = 0; i < dirty.size(); i++) {
      dirty.get(i).flush();
    }
    dirty.clear();
  }

  private void rss(String key) {
    if (history.serverPid() <= 0) {
      return;
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + history.serverPid() + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          report.put(key, Long.parseLong(line.replaceAll("[^0-9]", "")));
        }
      }
    } catch (IOException | NumberFormatException e) {
      report.put(key, null);
    }
  }

  private long clock() {
    return System.nanoTime() - origin;
  }

  static Double ms(LatencyHistogram h, double percentile) {
    return h.count() == 0 ? null : Math.round(h.percentileMicros(percentile) / 1e1) / 1e2;
  }
}
