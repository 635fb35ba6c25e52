package dev.jchat.internal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  static final long MINUTE = 60_000;

  /** Three failures per minute, at most three keys. Time is whatever the test says. */
  final LoginThrottle throttle = new LoginThrottle(3, MINUTE, 3);

  @Test
  void aKeyIsRefusedOnceItFailedTooOftenWithinTheWindow() {
    long now = 1_000_000;
    throttle.tryBegin("alice", now);
    throttle.tryBegin("alice", now + 10);
    assertTrue(throttle.allowed("alice", now + 20));
    throttle.tryBegin("alice", now + 20);
    assertFalse(throttle.allowed("alice", now + 30));
    assertFalse(throttle.allowed("alice", now + MINUTE - 1));
  }

  @Test
  void theRefusalEndsAWindowAfterTheFirstFailure() {
    long now = 1_000_000;
    for (int i = 0; i < 3; i++) {
      throttle.tryBegin("alice", now + i);
    }
    assertTrue(throttle.allowed("alice", now + MINUTE));
    // a failure after the window opens a new one that counts from one again
    throttle.tryBegin("alice", now + MINUTE);
    assertTrue(throttle.allowed("alice", now + MINUTE + 1));
  }

  @Test
  void failuresSpreadOverTwoWindowsDoNotAddUp() {
    long now = 1_000_000;
    throttle.tryBegin("alice", now);
    throttle.tryBegin("alice", now + 1);
    throttle.tryBegin("alice", now + MINUTE);
    throttle.tryBegin("alice", now + MINUTE + 1);
    assertTrue(throttle.allowed("alice", now + MINUTE + 2));
  }

  @Test
  void aSuccessForgetsTheFailures() {
    long now = 1_000_000;
    throttle.tryBegin("alice", now);
    throttle.tryBegin("alice", now);
    throttle.succeeded("alice");
    throttle.tryBegin("alice", now);
    throttle.tryBegin("alice", now);
    assertTrue(throttle.allowed("alice", now));
  }

  @Test
  void keysAreIndependent() {
    long now = 1_000_000;
    for (int i = 0; i < 3; i++) {
      throttle.tryBegin("10.0.0.1", now);
    }
    assertFalse(throttle.allowed("10.0.0.1", now));
    assertTrue(throttle.allowed("10.0.0.2", now));
    assertTrue(throttle.allowed("alice", now));
  }

  @Test
  void pastTheCapTheOldestWindowIsForgotten() {
    long now = 1_000_000;
    for (String key : List.of("a", "b", "c", "d")) {
      for (int i = 0; i < 3; i++) {
        throttle.tryBegin(key, now);
      }
      now += 1_000;
    }
    assertEquals(3, throttle.trackedKeys());
    assertTrue(throttle.allowed("a", now)); // evicted
    assertFalse(throttle.allowed("b", now));
    assertFalse(throttle.allowed("d", now));
  }

  @Test
  void aRestartedWindowCountsAsNewestForEviction() {
    long now = 1_000_000;
    throttle.tryBegin("a", now);
    throttle.tryBegin("b", now + 1);
    throttle.tryBegin("c", now + 2);
    long later = now + MINUTE;
    for (int i = 0; i < 3; i++) {
      throttle.tryBegin("a", later); // a's window restarts: it is now the newest
    }
    throttle.tryBegin("d", later); // evicts b, the oldest window
    assertFalse(throttle.allowed("a", later));
    assertEquals(3, throttle.trackedKeys());
  }

  @Test
  void concurrentFailuresAreAllCounted() throws InterruptedException {
    LoginThrottle big = new LoginThrottle(4_001, MINUTE, 10);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      threads.add(
          new Thread(
              () -> {
                for (int i = 0; i < 1_000; i++) {
                  big.tryBegin("alice", 0);
                }
              }));
    }
    threads.forEach(Thread::start);
    for (Thread thread : threads) {
      thread.join();
    }
    assertTrue(big.allowed("alice", 1));
    big.tryBegin("alice", 1);
    assertFalse(big.allowed("alice", 1));
  }

  @Test
  void beginningCountsAtOnceSoParallelGuessesCannotAllPassTheCheck() {
    LoginThrottle throttle = new LoginThrottle(3, MINUTE, 10);
    // three attempts in flight, none finished: a fourth is refused already
    assertEquals(0, throttle.tryBegin("alice|10.0.0.1", 0));
    assertEquals(0, throttle.tryBegin("alice|10.0.0.1", 0));
    assertEquals(0, throttle.tryBegin("alice|10.0.0.1", 0));
    assertEquals(MINUTE - 5, throttle.tryBegin("alice|10.0.0.1", 5));
  }

  @Test
  void aCancelledAttemptNoLongerCounts() {
    LoginThrottle throttle = new LoginThrottle(2, MINUTE, 10);
    throttle.tryBegin("10.0.0.1", 0);
    throttle.tryBegin("10.0.0.1", 0);
    assertFalse(throttle.allowed("10.0.0.1", 1));
    throttle.cancel("10.0.0.1");
    assertTrue(throttle.allowed("10.0.0.1", 1));
  }
}
