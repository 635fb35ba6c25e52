package dev.jchat.internal.auth;

/**
 * Counts attempts per key in a window and refuses a key that failed too often (see {@link
 * LoginThrottle}, this node's own count, and the cluster's count shared over Redis).
 */
public interface Throttle {
  /**
   * Begins an attempt for {@code key}: 0 when it may go ahead (it now counts as a failure until
   * {@link #succeeded} or {@link #cancel}), else the milliseconds until the key's window ends.
   */
  long tryBegin(String key, long nowMillis);

  /** Takes back one attempt begun with {@link #tryBegin} that turned out not to be a failure. */
  void cancel(String key);

  /** Forgets {@code key}'s failures after a successful login. */
  void succeeded(String key);
}
