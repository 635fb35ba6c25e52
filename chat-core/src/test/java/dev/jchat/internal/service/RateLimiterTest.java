package dev.jchat.internal.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private final AtomicLong now = new AtomicLong();

  @Test
  void allowsABurstOfTwiceTheRateThenRefillsAtTheRate() {
    RateLimiter limiter = new RateLimiter(5, now::get);
    for (int i = 0; i < 10; i++) {
      assertTrue(limiter.tryAcquire("alice"), "burst message " + i);
    }
    assertFalse(limiter.tryAcquire("alice"));
    now.addAndGet(200_000_000L); // 0.2 s at 5/s is one token
    assertTrue(limiter.tryAcquire("alice"));
    assertFalse(limiter.tryAcquire("alice"));
  }

  @Test
  void usersHaveSeparateBuckets() {
    RateLimiter limiter = new RateLimiter(1, now::get);
    assertTrue(limiter.tryAcquire("alice"));
    assertTrue(limiter.tryAcquire("alice"));
    assertFalse(limiter.tryAcquire("alice"));
    assertTrue(limiter.tryAcquire("bob"));
  }

  @Test
  void zeroTurnsLimitingOff() {
    RateLimiter limiter = new RateLimiter(0, now::get);
    for (int i = 0; i < 10_000; i++) {
      assertTrue(limiter.tryAcquire("bench"));
    }
  }
}
