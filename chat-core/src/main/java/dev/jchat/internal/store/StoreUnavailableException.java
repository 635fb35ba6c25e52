package dev.jchat.internal.store;

/**
 * The store cannot do its work right now, for a reason that passes without a change to the request:
 * the disk is full, the file is locked by another process past the busy timeout, it cannot be
 * written (read-only, I/O error), or every connection is busy. Nothing was stored; the same request
 * may succeed later. Clients hear {@code unavailable} (HTTP 503) with {@link #retryAfterMillis()}.
 */
public final class StoreUnavailableException extends StoreException {
  /** How long a client is asked to wait before it tries again. */
  static final long RETRY_AFTER_MILLIS = 1_000;

  StoreUnavailableException(String message) {
    super(message);
  }

  StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A hint for the client: wait about this long before the next attempt. */
  public long retryAfterMillis() {
    return RETRY_AFTER_MILLIS;
  }
}
