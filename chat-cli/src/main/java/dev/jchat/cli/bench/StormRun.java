package dev.jchat.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A reconnect storm: every room has one <em>stayer</em>, which stays connected and sends at a
 * steady rate, and {@code clients} members that drop at once, miss a few messages, and reconnect
 * all together with {@code hello} and {@code join} with {@code since}. Measures the time until all
 * are resumed, each one's time from connect to {@code joined}, the stayers' latency before and
 * during the storm, and, per reconnecting client, that every message after its cursor arrives
 * exactly once ({@link ResumeLedger}).
 *
 * <pre>
 *   connect all, join -> steady (stayers send) -> drop the members -> each stayer sends `missed`,
 *   acked -> reconnect all at once, join since -> all resumed -> a second of live traffic -> stop,
 *   wait until every member has the room's last seq -> settle
 * </pre>
 *
 * Single-threaded: one selector drives every socket. Client {@code i < rooms} is room {@code i}'s
 * stayer; client {@code rooms + j} is member {@code j} of room {@code j % rooms}.
 */
final class StormRun implements LoadSocket.Listener {
  private static final int WELCOMING = 0;
  private static final int JOINING = 1;
  private static final int JOINED = 2;
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private final StormConfig storm;
  private final BenchConfig config;
  private final PrintWriter log;
  private final long origin = System.nanoTime();
  private final String[] rooms;
  private final ClientFrames frames;
  private final Selector selector;
  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
  private final List<LoadSocket> dirty = new ArrayList<>();
  private final LoadSocket[] sockets;
  private final int[] states;
  private final ResumeLedger[] ledgers;
  private final long[] sent;
  private final long[] acked;
  private final long[] lastAcked;
  private final Map<String, Long> failures = new TreeMap<>();
  private final Map<String, Long> errors = new TreeMap<>();
  private final LatencyHistogram joinTimes = new LatencyHistogram();
  private final LatencyHistogram steadyBefore = new LatencyHistogram();
  private final LatencyHistogram steadyDuring = new LatencyHistogram();
  private List<String> tokens;
  private InetSocketAddress server;
  private boolean sending;
  private long nextSendAt;
  private int nextStayer;
  private long stormStart = -1;
  private long stormEnd = Long.MAX_VALUE;
  private long lastResume;
  private int joined;
  private int resumed;
  private int resumedInTime;
  private int failedStayers;
  private int failedMembers;

  StormRun(StormConfig storm, PrintWriter log) throws IOException {
    this.storm = storm;
    this.config = storm.base();
    this.log = log;
    this.rooms = new String[config.rooms()];
    for (int r = 0; r < rooms.length; r++) {
      rooms[r] = config.roomName(r);
    }
    this.frames = new ClientFrames(rooms, config.payload(), origin);
    this.selector = Selector.open();
    int total = config.rooms() + config.clients();
    this.sockets = new LoadSocket[total];
    this.states = new int[total];
    this.ledgers = new ResumeLedger[total];
    this.sent = new long[config.rooms()];
    this.acked = new long[config.rooms()];
    this.lastAcked = new long[config.rooms()];
  }

  Map<String, Object> run() throws IOException {
    try {
      if (config.login()) {
        log.printf("signing in %d account(s) at %s%n", config.users(), config.restBase());
        tokens = new BenchAccounts(config).signIn();
      }
      server = new InetSocketAddress(config.url().getHost(), config.port());
      connectAll();
      steady();
      long droppedCount = drop();
      reconnect(droppedCount);
      settle();
      return report(droppedCount);
    } finally {
      for (LoadSocket s : sockets) {
        if (s != null) {
          s.drop();
        }
      }
      selector.close();
    }
  }

  private void connectAll() throws IOException {
    int total = sockets.length;
    log.printf(
        "connecting %d stayer(s) and %d member(s) at %.0f/s%n",
        config.rooms(), config.clients(), config.connectRate());
    long start = clock();
    int[] next = {0};
    long deadline =
        start + (long) (1e9 * total / config.connectRate()) + config.connectTimeout().toNanos();
    loopUntil(
        () -> {
          long due = (long) ((clock() - start) * config.connectRate() / 1e9) + 1;
          while (next[0] < total && next[0] < due) {
            open(next[0]++, clock());
          }
          return next[0] == total && joined + failed() >= total;
        },
        deadline);
    log.printf("%d of %d joined%n", joined, total);
  }

  private void steady() throws IOException {
    sending = true;
    nextSendAt = clock();
    log.printf(
        "stayers sending %s/s each for %d ms%n", trim(storm.rate()), storm.steady().toMillis());
    long end = clock() + storm.steady().toNanos();
    loopUntil(() -> false, end);
  }

  /** Drops every joined member at once; the stayers then send what the members will miss. */
  private long drop() throws IOException {
    long count = 0;
    for (int i = config.rooms(); i < sockets.length; i++) {
      if (sockets[i] != null && states[i] == JOINED) {
        sockets[i].drop();
        ledgers[i].dropped();
        count++;
      }
    }
    log.printf(
        "dropped %d member(s); each room gets %d message(s) meanwhile%n", count, storm.missed());
    for (int r = 0; r < config.rooms(); r++) {
      for (int k = 0; k < storm.missed(); k++) {
        sendFrom(r);
      }
    }
    loopUntil(this::allAcked, clock() + 10 * SECOND);
    return count;
  }

  private void reconnect(long count) throws IOException {
    stormStart = clock();
    log.printf("reconnecting %d member(s) at once%n", count);
    for (int i = config.rooms(); i < sockets.length; i++) {
      if (ledgers[i] != null && ledgers[i].isDropped()) {
        open(i, stormStart);
      }
    }
    int failedBefore = failedMembers;
    loopUntil(
        () -> resumed + failedMembers - failedBefore >= count,
        stormStart + storm.timeout().toNanos());
    stormEnd = resumed > 0 ? lastResume : clock();
    resumedInTime = resumed;
    log.printf("%d of %d resumed in %.2f s%n", resumed, count, (stormEnd - stormStart) / 1e9);
  }

  /** A second of live traffic, then every member must catch up with its room's last seq. */
  private void settle() throws IOException {
    loopUntil(() -> false, clock() + SECOND);
    sending = false;
    loopUntil(this::allAcked, clock() + config.drain().toNanos() + 5 * SECOND);
    loopUntil(this::allCaughtUp, clock() + config.drain().toNanos() + 5 * SECOND);
  }

  private Map<String, Object> report(long droppedCount) {
    ResumeLedger.Tally tally = new ResumeLedger.Tally();
    for (int i = config.rooms(); i < sockets.length; i++) {
      ResumeLedger l = ledgers[i];
      if (l != null && l.isResumed()) {
        l.settle(lastAcked[roomOf(i)], tally);
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("members", config.clients());
    out.put("rooms", config.rooms());
    out.put("joined", joined);
    out.put("dropped", droppedCount);
    out.put("resumed", resumed);
    // the last joined, also when it came after the timeout (while the run settled)
    out.put("resumeSeconds", resumed == 0 ? null : round((lastResume - stormStart) / 1e9, 3));
    out.put("resumedInTime", resumedInTime);
    out.put("joinP50Ms", ms(joinTimes, 50));
    out.put("joinP99Ms", ms(joinTimes, 99));
    out.put("joinMaxMs", round(joinTimes.maxMicros() / 1e3, 3));
    out.put("missed", tally.missed);
    out.put("missedDelivered", tally.missedDelivered);
    out.put("owed", tally.owed);
    out.put("delivered", tally.delivered);
    out.put("gaps", tally.gaps);
    out.put("duplicates", tally.duplicates);
    out.put("steadyP50Ms", ms(steadyBefore, 50));
    out.put("steadyP99Ms", ms(steadyBefore, 99));
    out.put("stormSteadyP50Ms", ms(steadyDuring, 50));
    out.put("stormSteadyP99Ms", ms(steadyDuring, 99));
    out.put("stormSteadySamples", steadyDuring.count());
    out.put("failures", failures);
    out.put("errors", errors);
    out.put("url", config.url().toString());
    out.put("login", config.login());
    return out;
  }

  // ---- sockets ----

  private void open(int i, long now) {
    InetSocketAddress local =
        storm.sourceAddresses() > 1
            ? new InetSocketAddress("127.0.0." + (1 + i % storm.sourceAddresses()), 0)
            : null;
    try {
      sockets[i] = LoadSocket.connect(i, this, frames, selector, server, local, config, dirty, now);
      states[i] = WELCOMING;
      if (i >= config.rooms() && ledgers[i] == null) {
        ledgers[i] = new ResumeLedger();
      }
    } catch (IOException e) {
      failure(i, "connect_error");
    }
  }

  @Override
  public void opened(LoadSocket s) {
    String token =
        tokens == null ? config.tokenPrefix() + s.index : tokens.get(s.index % tokens.size());
    s.send(frames.hello(token));
  }

  @Override
  public void text(LoadSocket s, byte[] f) {
    int i = s.index;
    switch (FrameScanner.type(f)) {
      case FrameScanner.WELCOME -> welcome(s);
      case FrameScanner.JOINED -> joined(s, f);
      case FrameScanner.MESSAGE -> message(i, f);
      case FrameScanner.ACK -> {
        if (i < config.rooms()) {
          acked[i]++;
          lastAcked[i] = Math.max(lastAcked[i], FrameScanner.seq(f));
        }
      }
      case FrameScanner.ERROR -> {
        String code = String.valueOf(FrameScanner.stringField(f, "code"));
        errors.merge(code, 1L, Long::sum);
        if (states[i] != JOINED) {
          failure(i, "refused_" + code);
        }
      }
      default -> {
        // presence and the like: nothing to count
      }
    }
  }

  private void welcome(LoadSocket s) {
    int i = s.index;
    if (states[i] != WELCOMING) {
      return;
    }
    states[i] = JOINING;
    ResumeLedger l = ledgers[i];
    String room = rooms[roomOf(i)];
    s.send(l != null && l.isDropped() ? frames.join(room, l.dropped()) : frames.join(room));
  }

  private void joined(LoadSocket s, byte[] f) {
    int i = s.index;
    if (states[i] != JOINING) {
      return;
    }
    states[i] = JOINED;
    long lastSeq = FrameScanner.numberField(f, "lastSeq");
    ResumeLedger l = ledgers[i];
    if (l == null) {
      joined++;
    } else if (!l.isDropped()) {
      l.joined(lastSeq);
      joined++;
    } else {
      l.rejoined(lastSeq, FrameScanner.historySeqs(f));
      long now = clock();
      joinTimes.record((now - s.startedAt) / 1000);
      resumed++;
      lastResume = now;
    }
  }

  private void message(int i, byte[] f) {
    if (states[i] != JOINED) {
      return;
    }
    if (i < config.rooms()) {
      long stamp = FrameScanner.stamp(f);
      if (stamp >= 0 && FrameScanner.sender(f) == i) {
        long micros = (clock() - stamp) / 1000;
        if (stormStart < 0) {
          steadyBefore.record(micros);
        } else if (stamp >= stormStart && stamp <= stormEnd) {
          steadyDuring.record(micros);
        }
      }
      return;
    }
    ResumeLedger l = ledgers[i];
    long seq = FrameScanner.seq(f);
    if (l.isDropped()) {
      l.received(seq);
    } else {
      l.seenBeforeDrop(seq);
    }
  }

  @Override
  public void lost(LoadSocket s, String reason) {
    failure(s.index, reason);
  }

  private void failure(int i, String reason) {
    failures.merge(reason, 1L, Long::sum);
    states[i] = -1;
    if (i < config.rooms()) {
      failedStayers++;
    } else {
      failedMembers++;
    }
  }

  private int failed() {
    return failedStayers + failedMembers;
  }

  // ---- the stayers' traffic ----

  private void sendFrom(int r) {
    if (sockets[r] != null && states[r] == JOINED) {
      sockets[r].send(frames.send(r, clock(), r));
      sent[r]++;
    }
  }

  private void tickSenders(long now) {
    if (!sending || storm.rate() <= 0) {
      return;
    }
    // one stayer after the other, evenly spread: no burst of every room at once
    double interval = 1e9 / storm.rate() / config.rooms();
    while (nextSendAt <= now) {
      sendFrom(nextStayer);
      nextStayer = (nextStayer + 1) % config.rooms();
      nextSendAt = nextSendAt + (long) Math.max(1, interval);
    }
  }

  private boolean allAcked() {
    for (int r = 0; r < config.rooms(); r++) {
      if (states[r] == JOINED && acked[r] < sent[r]) {
        return false;
      }
    }
    return true;
  }

  private boolean allCaughtUp() {
    for (int i = config.rooms(); i < sockets.length; i++) {
      ResumeLedger l = ledgers[i];
      if (l != null && l.isResumed() && states[i] == JOINED) {
        if (l.contiguousUpTo() < lastAcked[roomOf(i)]) {
          return false;
        }
      }
    }
    return true;
  }

  private int roomOf(int i) {
    return i < config.rooms() ? i : (i - config.rooms()) % config.rooms();
  }

  // ---- the loop ----

  /** Runs the selector until {@code done} (checked every turn) or the deadline. */
  private void loopUntil(BooleanSupplier done, long deadline) throws IOException {
    while (!done.getAsBoolean()) {
      long now = clock();
      if (now >= deadline) {
        return;
      }
      tickSenders(now);
      flushDirty();
      long until = Math.min(deadline, sending ? nextSendAt : deadline);
      long waitMillis = Math.max(1, Math.min(50, TimeUnit.NANOSECONDS.toMillis(until - now)));
      selector.select(k -> ((LoadSocket) k.attachment()).ready(k, readBuffer), waitMillis);
      flushDirty();
    }
  }

  private void flushDirty() {
    for (int i = 0; i < dirty.size(); i++) {
      dirty.get(i).flush();
    }
    dirty.clear();
  }

  private long clock() {
    return System.nanoTime() - origin;
  }

  private static Double ms(LatencyHistogram h, double percentile) {
    return h.count() == 0 ? null : round(h.percentileMicros(percentile) / 1e3, 3);
  }

  private static double round(double v, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(v * scale) / scale;
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
