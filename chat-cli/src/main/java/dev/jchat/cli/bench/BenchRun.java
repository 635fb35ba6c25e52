package dev.jchat.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One bench run from start to report: signs in when asked, starts the loops, and steps them through
 * {@link RunControl}'s schedule. Every step has a deadline, so a run ends by itself after at most:
 * connecting ({@code clients / connect-rate + connect-timeout}), warmup, duration, drain, and one
 * second of closing.
 *
 * <p>Progress goes to {@code log}, one line per step. Used from one thread.
 */
final class BenchRun {
  private static final long POLL_MILLIS = 10;
  private static final long CLOSE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final BenchConfig config;
  private final PrintWriter log;

  BenchRun(BenchConfig config, PrintWriter log) {
    this.config = config;
    this.log = log;
  }

  /**
   * @throws IOException when signing in or preparing the rooms fails, or a loop cannot start
   */
  BenchReport run() throws IOException, InterruptedException {
    List<String> tokens = null;
    if (config.login()) {
      log.printf("signing in %d account(s) at %s%n", config.users(), config.restBase());
      tokens = new BenchAccounts(config).signIn();
    }
    List<InetSocketAddress> addresses = config.addresses();
    for (InetSocketAddress address : addresses) {
      if (address.isUnresolved()) {
        throw new IOException("Unknown host: " + address.getHostString());
      }
    }
    RunControl control = new RunControl(config);
    ClientLoop[] loops = new ClientLoop[config.threads()];
    for (int t = 0; t < loops.length; t++) {
      loops[t] = new ClientLoop(t, control, addresses);
    }
    for (int i = 0; i < config.clients(); i++) {
      String token = tokens == null ? config.tokenPrefix() + i : tokens.get(i % tokens.size());
      boolean sender = i / config.rooms() < config.sendersPerRoom();
      loops[i % loops.length].add(i, i % config.rooms(), sender, token);
    }
    Thread[] threads = new Thread[loops.length];
    for (int t = 0; t < loops.length; t++) {
      threads[t] = new Thread(loops[t], "bench-loop-" + t);
      threads[t].setDaemon(true);
      threads[t].start();
    }
    try {
      double connectSeconds = connect(control, loops);
      int[] members = freeze(control, loops);
      if (total(members) > 0) {
        send(control, loops, members);
        drain(control, loops);
      }
      close(control, loops, threads);
      return report(loops, connectSeconds);
    } finally {
      control.close(control.clock());
      for (ClientLoop loop : loops) {
        loop.wakeup();
      }
    }
  }

  private double connect(RunControl control, ClientLoop[] loops) throws InterruptedException {
    long deadline =
        (long) (1e9 * config.clients() / config.connectRate())
            + config.connectTimeout().toNanos()
            + TimeUnit.SECONDS.toNanos(1);
    log.printf("connecting %d client(s) at %.0f/s%n", config.clients(), config.connectRate());
    await(control, loops, deadline, () -> sum(loops, ClientLoop.SETTLED) >= config.clients());
    return control.clock() / 1e9;
  }

  /** Stops connecting; returns each room's joined members. */
  private int[] freeze(RunControl control, ClientLoop[] loops) throws InterruptedException {
    control.freeze();
    for (ClientLoop loop : loops) {
      loop.wakeup();
    }
    if (!control.frozen.await(5, TimeUnit.SECONDS)) {
      throw new IllegalStateException("A loop did not stop connecting within 5 s.");
    }
    int[] members = new int[config.rooms()];
    for (ClientLoop loop : loops) {
      for (int r = 0; r < members.length; r++) {
        members[r] += loop.joinedPerRoom[r];
      }
    }
    log.printf("%d of %d client(s) joined%n", total(members), config.clients());
    return members;
  }

  private void send(RunControl control, ClientLoop[] loops, int[] members)
      throws InterruptedException {
    long start = control.clock();
    control.startSending(members, start, config.warmup().toNanos(), config.duration().toNanos());
    for (ClientLoop loop : loops) {
      loop.wakeup();
    }
    if (config.warmup().toNanos() > 0) {
      log.printf("warming up for %s%n", seconds(config.warmup().toNanos()));
    }
    await(control, loops, control.measureStart, () -> false);
    if (config.sendersPerRoom() == 0) {
      log.printf(
          "holding %d connection(s) open for %s%n",
          total(members), seconds(config.duration().toNanos()));
    } else {
      log.printf("measuring for %s%n", seconds(config.duration().toNanos()));
    }
    await(control, loops, control.measureEnd, () -> false);
  }

  /** Waits for the replies and deliveries of the measured sends, up to --drain. */
  private void drain(RunControl control, ClientLoop[] loops) throws InterruptedException {
    long deadline = control.clock() + config.drain().toNanos();
    await(
        control,
        loops,
        deadline,
        () ->
            allTurnedAfter(loops, control.measureEnd)
                && sum(loops, ClientLoop.REPLIED) >= sum(loops, ClientLoop.SENT)
                && sum(loops, ClientLoop.DELIVERED) >= sum(loops, ClientLoop.EXPECTED));
  }

  private void close(RunControl control, ClientLoop[] loops, Thread[] threads)
      throws InterruptedException {
    control.close(control.clock() + CLOSE_NANOS);
    for (ClientLoop loop : loops) {
      loop.wakeup();
    }
    for (Thread t : threads) {
      t.join(TimeUnit.NANOSECONDS.toMillis(CLOSE_NANOS) + 5_000);
      if (t.isAlive()) {
        throw new IllegalStateException(t.getName() + " did not stop.");
      }
    }
    for (ClientLoop loop : loops) {
      if (loop.crash() != null) {
        throw new IllegalStateException("A client loop failed.", loop.crash());
      }
    }
  }

  private BenchReport report(ClientLoop[] loops, double connectSeconds) {
    LoopStats stats = new LoopStats();
    for (ClientLoop loop : loops) {
      stats.add(loop.stats);
    }
    return new BenchReport(config, stats, connectSeconds);
  }

  /** Polls until {@code done}, the deadline on the run's clock, or a loop's crash. */
  private static void await(
      RunControl control, ClientLoop[] loops, long deadline, BooleanSupplier done)
      throws InterruptedException {
    while (!done.getAsBoolean() && control.clock() < deadline) {
      for (ClientLoop loop : loops) {
        if (loop.crash() != null) {
          throw new IllegalStateException("A client loop failed.", loop.crash());
        }
      }
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - control.clock());
      Thread.sleep(Math.max(1, Math.min(POLL_MILLIS, left)));
    }
  }

  /**
   * Whether every loop has published a turn begun at or after {@code time}, so that the counts read
   * next hold every send stamped before it. Read first: the loops publish it last.
   */
  private static boolean allTurnedAfter(ClientLoop[] loops, long time) {
    for (ClientLoop loop : loops) {
      if (loop.progress.get(ClientLoop.TURN) < time) {
        return false;
      }
    }
    return true;
  }

  private static long sum(ClientLoop[] loops, int index) {
    long sum = 0;
    for (ClientLoop loop : loops) {
      sum += loop.progress.get(index);
    }
    return sum;
  }

  private static int total(int[] members) {
    int sum = 0;
    for (int m : members) {
      sum += m;
    }
    return sum;
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
  }
}
