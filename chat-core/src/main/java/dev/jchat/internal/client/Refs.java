package dev.jchat.internal.client;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Generates request {@code ref}s. The server deduplicates sends by user and {@code ref} across
 * restarts, so refs must never repeat, also between runs: each process draws a random prefix.
 * Thread-safe.
 */
final class Refs {
  private static final String PREFIX =
      Long.toString(new SecureRandom().nextLong() & Long.MAX_VALUE, 36);
  private static final AtomicLong COUNTER = new AtomicLong();

  private Refs() {}

  /** A fresh ref of at most 30 characters, like {@code c-3lqk1x0v2e9a-1f}. */
  static String next() {
    return "c-" + PREFIX + "-" + Long.toString(COUNTER.incrementAndGet(), 36);
  }
}
