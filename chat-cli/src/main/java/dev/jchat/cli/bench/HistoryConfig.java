package dev.jchat.cli.bench;

import java.time.Duration;

/**
 * A history bench's settings, beside the shared ones of {@code base} (its one room is the first of
 * {@code base}'s).
 *
 * @param messages the room is filled up to this many messages first
 * @param seeders sockets that fill the room
 * @param window unacked sends per seeding socket
 * @param readers requests in flight at once, one per socket (or per REST request chain)
 * @param page messages per page ({@code limit})
 * @param duration each phase's length
 * @param warmup how long the same reads run, unmeasured, before the phases: the server's JIT
 *     compiles its read path then rather than inside the first phase
 * @param socket whether to read over the chat socket
 * @param rest whether to read over REST
 * @param serverPid the server's process id, for its resident memory; 0 when not known
 */
record HistoryConfig(
    BenchConfig base,
    long messages,
    int seeders,
    int window,
    int readers,
    int page,
    Duration duration,
    Duration warmup,
    boolean socket,
    boolean rest,
    long serverPid) {

  HistoryConfig {
    if (messages < 0) {
      throw new IllegalArgumentException("--messages must not be negative.");
    }
    if (seeders < 1 || window < 1 || readers < 1 || page < 1) {
      throw new IllegalArgumentException(
          "--seeders, --seed-window, --readers and --page must be positive.");
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("--duration must be positive.");
    }
    if (warmup.isNegative()) {
      throw new IllegalArgumentException("--warmup must not be negative.");
    }
  }
}
