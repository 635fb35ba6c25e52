package dev.jchat.internal.service;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per user: {@code perSecond} messages a second with bursts up to twice that. Zero
 * turns limiting off. Thread-safe; memory is bounded by forgetting full (idle) buckets when too
 * many users are tracked.
 */
public final class RateLimiter {
  private static final int MAX_TRACKED = 100_000;

  private final double perSecond;
  private final double burst;
  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  public RateLimiter(double perSecond, LongSupplier nanoClock) {
    this.perSecond = perSecond;
    this.burst = Math.max(1, perSecond * 2);
    this.nanoClock = nanoClock;
  }

  /** Takes one token for this user; false when the user is over the limit. */
  public boolean tryAcquire(String userId) {
    if (perSecond <= 0) return true;
    long now = nanoClock.getAsLong();
    if (buckets.size() > MAX_TRACKED) forgetIdle(now);
    return buckets.computeIfAbsent(userId, u -> new Bucket(burst, now)).take(now, perSecond, burst);
  }

  /** Gives back a token taken for a message that was then not sent after all. */
  public void refund(String userId) {
    if (perSecond <= 0) return;
    Bucket b = buckets.get(userId);
    if (b != null) b.refund(burst);
  }

  private void forgetIdle(long now) {
    buckets.values().removeIf(b -> b.isFull(now, perSecond, burst));
  }

  private static final class Bucket {
    private double tokens;
    private long updated;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.updated = now;
    }

    synchronized boolean take(long now, double rate, double burst) {
      refill(now, rate, burst);
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    }

    synchronized void refund(double burst) {
      tokens = Math.min(burst, tokens + 1);
    }

    synchronized boolean isFull(long now, double rate, double burst) {
      refill(now, rate, burst);
      return tokens >= burst;
    }

    private void refill(long now, double rate, double burst) {
      tokens = Math.min(burst, tokens + (now - updated) / 1e9 * rate);
      updated = now;
    }
  }
}
