package dev.jchat.internal.client;

import dev.jchat.ChatException;

/**
 * When a send is tried again: only after the server answered {@code unavailable} with a wait hint
 * (it could not store the message, so nothing was stored and the same ref is safe to repeat), at
 * most {@link #RETRIES} times, waiting the longer of the server's hint and an exponential backoff
 * from half a second, capped at 8 s: about 20 s in all. Stateless.
 */
public final class SendRetry {
  /** Attempts after the first. */
  public static final int RETRIES = 5;

  private static final long BASE_MILLIS = 500;
  private static final long CAP_MILLIS = 8_000;

  private SendRetry() {}

  /**
   * How long to wait before attempt {@code attempt + 1} after {@code failure} ended attempt {@code
   * attempt} (0-based), or -1 when the send should fail now.
   */
  public static long delayMillis(Throwable failure, int attempt) {
    if (!(failure instanceof ChatException e)
        || !e.code().equals("unavailable")
        || e.retryAfterMillis() <= 0
        || attempt >= RETRIES) {
      return -1;
    }
    long backoff = Math.min(CAP_MILLIS, BASE_MILLIS << Math.min(attempt, 16));
    return Math.min(CAP_MILLIS, Math.max(backoff, e.retryAfterMillis()));
  }
}
