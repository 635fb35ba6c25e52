package dev.jchat.internal.service;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per key (a user id, a client address): {@code perSecond} tokens a second, bursts
 * up to {@code burst}. A zero rate turns limiting off. Thread-safe; memory is bounded by forgetting
 * full (idle) buckets when too many keys are tracked.
 */
public final class RateLimiter {
  private static final int MAX_TRACKED = 100_000;

  private final double perSecond;
  private final double burst;
  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  /** {@code perSecond} a second with bursts of twice that (at least 1). */
  public RateLimiter(double perSecond, LongSupplier nanoClock) {
    this(perSecond, Math.max(1, perSecond * 2), nanoClock);
  }

  public RateLimiter(double perSecond, double burst, LongSupplier nanoClock) {
    this.perSecond = perSecond;
    this.burst = burst;
    this.nanoClock = nanoClock;
  }

  /** {@code perHour} an hour with bursts of as many; 0 turns limiting off. */
  public static RateLimiter perHour(int perHour, LongSupplier nanoClock) {
    return new RateLimiter(perHour / 3600.0, perHour, nanoClock);
  }

  /** Takes one token for this key; false when the key is over the limit. */
  public boolean tryAcquire(String key) {
    return acquire(key) == 0;
  }

  /**
   * Takes one token for this key: 0 when it had one, else the milliseconds (at least 1) until it
   * will have one.
   */
  public long acquire(String key) {
    if (perSecond <= 0) {
      return 0;
    }
    long now = nanoClock.getAsLong();
    if (buckets.size() > MAX_TRACKED) {
      forgetIdle(now);
    }
    double missing =
        buckets.computeIfAbsent(key, k -> new Bucket(burst, now)).take(now, perSecond, burst);
    return missing <= 0 ? 0 : Math.max(1, (long) Math.ceil(missing / perSecond * 1000));
  }

  /** Gives back a token taken for something that was then not done after all. */
  public void refund(String key) {
    if (perSecond <= 0) {
      return;
    }
    Bucket b = buckets.get(key);
    if (b != null) {
      b.refund(burst);
    }
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

    /** Takes a token, or returns how much of one is missing (nothing taken then). */
    synchronized double take(long now, double rate, double burst) {
      refill(now, rate, burst);
      if (tokens < 1) {
        return 1 - tokens;
      }
      tokens -= 1;
      return 0;
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
