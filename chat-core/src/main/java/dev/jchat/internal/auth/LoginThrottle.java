package dev.jchat.internal.auth;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slows down password guessing. Per key (the server uses a user id with a client address, and the
 * client address alone), a window opens at the first attempt; once {@code maxFailures} attempts
 * that did not succeed fall in it, {@link #tryBegin} refuses that key until the window ends, {@code
 * window} after it opened.
 *
 * <p>An attempt is counted as a failure when it begins, atomically with the check, so that many
 * guesses sent at once cannot all pass the check before any is recorded; a success then takes it
 * back ({@link #succeeded} forgets the key, {@link #cancel} takes back just the one attempt).
 *
 * <p>Memory is bounded: past {@code maxKeys} tracked keys the one whose window opened first is
 * forgotten. Thread-safe (calls are short, so one lock serves); called on worker threads. Time
 * comes from the caller, in epoch milliseconds.
 */
public final class LoginThrottle implements Throttle {
  private final int maxFailures;
  private final long windowMillis;
  private final int maxKeys;

  /** By window start, oldest first: a key moves to the end when its window restarts. */
  private final Map<String, Window> windows; // guarded by this

  /** Five failures per 15 minutes, at most 10,000 keys tracked. */
  public LoginThrottle() {
    this(5, 15 * 60_000L, 10_000);
  }

  public LoginThrottle(int maxFailures, long windowMillis, int maxKeys) {
    if (maxFailures <= 0 || windowMillis <= 0 || maxKeys <= 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
    this.maxFailures = maxFailures;
    this.windowMillis = windowMillis;
    this.maxKeys = maxKeys;
    this.windows =
        new LinkedHashMap<>() {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
            return size() > LoginThrottle.this.maxKeys;
          }
        };
  }

  @Override
  public synchronized long tryBegin(String key, long nowMillis) {
    Window window = windows.get(key);
    if (window == null || window.endsBy(nowMillis)) {
      windows.remove(key); // re-inserted last, keeping the map ordered by window start
      windows.put(key, new Window(nowMillis + windowMillis));
      return 0;
    }
    if (window.failures >= maxFailures) {
      return Math.max(1, window.end - nowMillis);
    }
    window.failures++;
    return 0;
  }

  /** Whether an attempt for {@code key} would be allowed at {@code nowMillis}; counts nothing. */
  public synchronized boolean allowed(String key, long nowMillis) {
    Window window = windows.get(key);
    return window == null || window.endsBy(nowMillis) || window.failures < maxFailures;
  }

  @Override
  public synchronized void cancel(String key) {
    Window window = windows.get(key);
    if (window != null && --window.failures <= 0) {
      windows.remove(key);
    }
  }

  @Override
  public synchronized void succeeded(String key) {
    windows.remove(key);
  }

  /** Keys currently tracked; for tests. */
  synchronized int trackedKeys() {
    return windows.size();
  }

  private static final class Window {
    final long end;
    int failures = 1;

    Window(long end) {
      this.end = end;
    }

    boolean endsBy(long nowMillis) {
      return nowMillis >= end;
    }
  }
}
