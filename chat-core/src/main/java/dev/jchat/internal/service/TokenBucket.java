package dev.jchat.internal.service;

/**
 * One token bucket: {@code perSecond} tokens a second, bursts up to twice that. A zero rate never
 * refuses. Not thread-safe: for state one thread owns at a time (a socket's serial queue).
 */
public final class TokenBucket {
  private final double perSecond;
  private final double burst;
  private double tokens;
  private long updated;

  public TokenBucket(double perSecond, long nowNanos) {
    this.perSecond = perSecond;
    this.burst = Math.max(1, perSecond * 2);
    this.tokens = burst;
    this.updated = nowNanos;
  }

  /** Takes a token: 0 when there was one, else the milliseconds (at least 1) until there is. */
  public long acquire(long nowNanos) {
    if (perSecond <= 0) {
      return 0;
    }
    tokens = Math.min(burst, tokens + (nowNanos - updated) / 1e9 * perSecond);
    updated = nowNanos;
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond * 1000));
  }
}
