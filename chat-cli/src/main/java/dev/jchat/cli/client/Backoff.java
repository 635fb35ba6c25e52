package dev.jchat.cli.client;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Delays between reconnect attempts: doubling from {@code initial} up to {@code max}, each
 * shortened by up to a fifth at random so that many clients dropped at once do not return at once.
 * Immutable and thread-safe.
 */
final class Backoff {
  private final Duration initial;
  private final Duration max;
  private final DoubleSupplier random;

  Backoff(Duration initial, Duration max, DoubleSupplier random) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max");
    }
    this.initial = initial;
    this.max = max;
    this.random = random;
  }

  /** The wait before attempt {@code attempt} (1 for the first). */
  Duration delay(int attempt) {
    long full = initial.toMillis() << Math.min(Math.max(attempt - 1, 0), 20);
    long capped = Math.min(full, max.toMillis());
    return Duration.ofMillis(capped - (long) (capped * 0.2 * random.getAsDouble()));
  }
}
