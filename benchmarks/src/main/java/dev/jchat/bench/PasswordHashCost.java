package dev.jchat.bench;

import dev.jchat.internal.auth.PasswordHasher;
import java.util.Arrays;

/**
 * What one password verification costs at the old and the current PBKDF2 iteration counts, on one
 * thread, without JMH: 3 warm-ups, then the median, fastest and slowest of 10. A login (and a
 * sign-up) pays this once on a password thread. Prints figures, asserts nothing
 * (docs/performance.md quotes them).
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.jchat.bench.PasswordHashCost}
 */
public final class PasswordHashCost {
  private static final String PASSWORD = "correct horse battery";

  private PasswordHashCost() {}

  public static void main(String[] args) {
    for (int iterations : new int[] {120_000, 600_000}) {
      PasswordHasher hasher = new PasswordHasher(iterations);
      String stored = hasher.hash(PASSWORD);
      for (int i = 0; i < 3; i++) {
        hasher.verify(PASSWORD, stored);
      }
      long[] nanos = new long[10];
      for (int i = 0; i < nanos.length; i++) {
        long start = System.nanoTime();
        hasher.verify(PASSWORD, stored);
        nanos[i] = System.nanoTime() - start;
      }
      Arrays.sort(nanos);
      System.out.printf(
          "iterations=%d median=%.1f ms min=%.1f ms max=%.1f ms%n",
          iterations, nanos[nanos.length / 2] / 1e6, nanos[0] / 1e6, nanos[nanos.length - 1] / 1e6);
    }
  }
}
