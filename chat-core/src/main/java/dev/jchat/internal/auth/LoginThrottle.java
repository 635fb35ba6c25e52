package dev.jchat.internal.auth;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slows down password guessing. Per key (the server uses both the user id and the client address),
 * a window opens at the first failed login; once {@code maxFailures} failures fall in it, {@link
 * #allowed} refuses that key until the window ends, {@code window} after its first failure. A
 * success forgets the key.
 *
 * <p>Memory is bounded: past {@code maxKeys} tracked keys the one whose window opened first is
 * forgotten. Thread-safe (calls are rare and short, so one lock serves); called on worker threads.
 * Time comes from the caller, in epoch milliseconds.
 */
public final class LoginThrottle {
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

  /** Whether a login attempt for {@code key} may go ahead at {@code nowMillis}. */
  public synchronized boolean allowed(String key, long nowMillis) {
    Window window = windows.get(key);
    return window == null || window.endsBy(nowMillis) || window.failures < maxFailures;
  }

  /** Records a failed login for {@code key}. */
  public synchronized void failed(String key, long nowMillis) {
    Window window = windows.get(key);
    if (window == null || window.endsBy(nowMillis)) {
      windows.remove(key); // re-inserted last, keeping the map ordered by window start
      windows.put(key, new Window(nowMillis + windowMillis));
    } else {
      window.failures++;
    }
  }

  /** Forgets {@code key}'s failures after a successful login. */
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
