package dev.jchat.cli.bench;

import java.util.concurrent.CountDownLatch;

/**
 * The run's schedule, as the run's thread decides it and the loops read it. Times are nanoseconds
 * since {@link #origin}, the clock every stamp uses. Each step is published by a volatile write
 * after the plain fields it covers, and followed by a wake-up of every loop.
 *
 * <pre>
 *   connect  --freeze-->  frozen (unjoined clients dropped, members counted)
 *            --start-->   warmup [sendStart, measureStart) -> measured [measureStart, measureEnd)
 *            -> drain     --close-->  closing until every socket is closed or closeDeadline
 * </pre>
 */
final class RunControl {
  final BenchConfig config;
  final String[] rooms;

  /** Every loop counts down once it has stopped connecting after {@link #freeze}. */
  final CountDownLatch frozen;

  private final long origin = System.nanoTime();

  private volatile boolean freeze;

  /** Joined members of each room when sending started. */
  int[] members;

  long measureStart;
  long measureEnd;
  private volatile long sendStart = -1;

  long closeDeadline;
  private volatile boolean closing;

  RunControl(BenchConfig config) {
    this.config = config;
    this.rooms = new String[config.rooms()];
    for (int r = 0; r < rooms.length; r++) {
      rooms[r] = config.roomName(r);
    }
    this.frozen = new CountDownLatch(config.threads());
  }

  /** Nanoseconds since the run began; never negative. */
  long clock() {
    return System.nanoTime() - origin;
  }

  void freeze() {
    freeze = true;
  }

  boolean frozenAsked() {
    return freeze;
  }

  void startSending(int[] members, long sendStart, long warmupNanos, long durationNanos) {
    this.members = members;
    this.measureStart = sendStart + warmupNanos;
    this.measureEnd = measureStart + durationNanos;
    this.sendStart = sendStart;
  }

  /** When senders start, or -1 before {@link #startSending}. */
  long sendStart() {
    return sendStart;
  }

  /** Whether a send stamped {@code stamp} counts. */
  boolean measured(long stamp) {
    return stamp >= measureStart && stamp < measureEnd;
  }

  void close(long deadline) {
    this.closeDeadline = deadline;
    this.closing = true;
  }

  boolean closing() {
    return closing;
  }
}
