package dev.jchat.bench;

import dev.jchat.internal.store.ChatStore;
import dev.jchat.internal.store.Database;
import dev.jchat.internal.store.MessageLog;
import dev.jchat.internal.store.PostgresStore;
import dev.jchat.internal.store.PostgresUrl;
import dev.jchat.internal.store.RoomStore;
import dev.jchat.internal.store.StoredMessage;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The message log's group commit into a real store: messages stored per second. {@code store} picks
 * it: {@code sqlite}, a file in a temporary directory (WAL, {@code synchronous=NORMAL}, the
 * server's defaults), or {@code postgres}, a PostgreSQL server the trial starts for itself ({@link
 * PostgresServer}: initdb in a temporary directory, a free port on 127.0.0.1, PostgreSQL's
 * defaults, so {@code fsync} on, and {@code synchronousCommit} on by default) through the server's
 * own {@link PostgresStore} (a pool of {@value PostgresStore#DEFAULT_POOL_SIZE}), stopped by its
 * PID at the end of the trial.
 *
 * <p>Each invocation appends {@value #MESSAGES} messages of 64 characters, round-robin over {@value
 * #ROOMS} rooms, from the benchmark thread (as the server's workers would), then waits until every
 * one was committed and its callback heard of it. The score is messages/s ({@code ops/s} with one
 * op per message). {@code batch} is the log's {@code maxBatch}, the most messages one transaction
 * may hold (the server uses 1024); the secondary score {@code commits} counts the transactions per
 * second, so messages per commit is the ratio of the two. {@code withRef} gives each send a unique
 * idempotency {@code ref}, as the protocol's clients do, which adds an insert into the {@code
 * (sender, ref)} index.
 *
 * <p>After each iteration the run prints the writer thread's CPU time per message and the shares of
 * the iteration it spent on a CPU and waiting for one (Linux only): on a machine shared with other
 * work, that tells the cost of the code apart from time spent queued.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(GroupCommitBenchmark.MESSAGES)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class GroupCommitBenchmark {
  static final int MESSAGES = 4096;
  private static final int ROOMS = 8;

  /** The server's queue capacity: appends never wait for room. */
  private static final int QUEUE_CAPACITY = 64 * 1024;

  private static final String TEXT = SampleText.ofLength(64);
  private static final String WRITER_THREAD = "jchat-message-log";

  @Param({"1", "16", "256", "1024"})
  public int batch;

  @Param({"false", "true"})
  public boolean withRef;

  @Param({"sqlite", "postgres"})
  public String store;

  /**
   * PostgreSQL's {@code synchronous_commit} for {@code store=postgres} ({@code on}, its default: a
   * WAL flush to disk per commit; {@code off}: shows what that flush costs); SQLite ignores it.
   */
  @Param({"on"})
  public String synchronousCommit;

  private TempDirectory dir;
  private PostgresServer postgres;
  private ChatStore db;
  private MessageLog log;
  private final String[] rooms = new String[ROOMS];
  private final AtomicLong commits = new AtomicLong();
  private long commitsCounted;
  private long sent;
  private ThreadSchedStat writerThread;
  private long iterationStartNanos;
  private long[] iterationStartTimes;
  private long iterationStartSent;

  /** Transactions committed, reported per second beside the messages. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Commits {
    public long commits;

    @Setup(Level.Iteration)
    public void reset() {
      commits = 0;
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    switch (store) {
      case "sqlite" -> {
        dir = TempDirectory.create("jchat-group-commit-");
        db = Database.open(dir.resolve("messages.db"), false);
      }
      case "postgres" -> {
        postgres = PostgresServer.start(synchronousCommit);
        db =
            PostgresStore.open(
                PostgresUrl.parse(postgres.url(), null, Map.of()), PostgresStore.DEFAULT_POOL_SIZE);
      }
      default -> throw new IllegalArgumentException("store must be sqlite or postgres: " + store);
    }
    RoomStore roomStore = db.rooms();
    for (int i = 0; i < ROOMS; i++) {
      rooms[i] = "room-" + i;
      roomStore.createIfMissing(rooms[i], System.currentTimeMillis());
    }
    log = new MessageLog(db, QUEUE_CAPACITY, batch, System::currentTimeMillis);
    log.setBatchListener(b -> commits.incrementAndGet());
    log.start();
  }

  @Benchmark
  public void append(Commits counted) throws InterruptedException {
    Pending pending = new Pending(MESSAGES);
    for (int i = 0; i < MESSAGES; i++) {
      long n = sent++;
      log.append(rooms[(int) (n % ROOMS)], "alice", TEXT, withRef ? "r-" + n : null, pending);
    }
    pending.await();
    // The listener runs just after the callbacks, so the last commit may be counted next time.
    long c = commits.get();
    counted.commits += c - commitsCounted;
    commitsCounted = c;
  }

  @Setup(Level.Iteration)
  public void startIteration() {
    if (writerThread == null) {
      writerThread = ThreadSchedStat.ofThread(WRITER_THREAD).orElse(null);
    }
    iterationStartNanos = System.nanoTime();
    iterationStartTimes = writerThread == null ? null : writerThread.read();
    iterationStartSent = sent;
  }

  @TearDown(Level.Iteration)
  public void reportWriterThread() {
    if (iterationStartTimes == null) {
      return;
    }
    long[] now = writerThread.read();
    if (now == null) {
      return;
    }
    double wall = System.nanoTime() - iterationStartNanos;
    double cpu = now[0] - iterationStartTimes[0];
    double waited = now[1] - iterationStartTimes[1];
    long messages = sent - iterationStartSent;
    System.out.printf(
        "%n  writer thread: %.2f us CPU per message; on a CPU %.0f%% of the iteration,"
            + " waiting for one %.0f%%%n",
        cpu / 1000 / messages, 100 * cpu / wall, 100 * waited / wall);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    try {
      if (log != null) {
        log.close();
      }
    } finally {
      try {
        if (db != null) {
          db.close();
        }
      } finally {
        if (dir != null) {
          dir.close();
        }
        if (postgres != null) {
          postgres.close();
        }
      }
    }
  }

  /** Counts the callbacks of one invocation's sends down to zero; a failure fails the run. */
  private static final class Pending implements MessageLog.Callback {
    private final CountDownLatch left;
    private volatile RuntimeException failure;

    Pending(int sends) {
      left = new CountDownLatch(sends);
    }

    @Override
    public void stored(StoredMessage message, String ref, boolean duplicate) {
      left.countDown();
    }

    @Override
    public void failed(RuntimeException e) {
      failure = e;
      left.countDown();
    }

    void await() throws InterruptedException {
      // a guard against a stuck writer, not a time limit: on PostgreSQL at batch 1, 4,096 sends
      // with refs took 50 to 60 s on a loaded machine
      if (!left.await(5, TimeUnit.MINUTES)) {
        throw new IllegalStateException("sends not committed within 5 minutes");
      }
      if (failure != null) {
        throw new IllegalStateException("a send failed", failure);
      }
    }
  }
}
