package dev.jchat.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition with a bounded timeout; the bound is a failure, never an assertion of
 * speed.
 */
public final class Await {
  public static final Duration DEFAULT = Duration.ofSeconds(20);

  private Await() {}

  public static void until(String what, BooleanSupplier condition) {
    until(what, condition, DEFAULT);
  }

  public static void until(String what, BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      LockSupport.parkNanos(
          TimeUnit.MILLISECONDS.toNanos(5)); // re-check soon; the condition decides
    }
  }
}
