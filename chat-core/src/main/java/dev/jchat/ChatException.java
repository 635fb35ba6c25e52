package dev.jchat;

/**
 * A failure reported by the chat server or client, with the protocol's error code ({@code
 * bad_request}, {@code unauthorized}, {@code forbidden}, {@code not_found}, {@code conflict},
 * {@code too_large}, {@code rate_limited}, {@code internal}, or {@code unavailable} when the server
 * could not be reached or cannot store right now).
 */
public class ChatException extends RuntimeException {
  private final String code;
  private final int status;
  private final long retryAfterMillis;

  public ChatException(String code, int status, String message) {
    this(code, status, message, 0L);
  }

  public ChatException(String code, int status, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.status = status;
    this.retryAfterMillis = 0;
  }

  /**
   * An error the server answered with a wait hint ({@code Retry-After}, or {@code retryAfterMs} on
   * the chat socket): trying again after about that long may succeed.
   */
  public ChatException(String code, int status, String message, long retryAfterMillis) {
    super(message);
    this.code = code;
    this.status = status;
    this.retryAfterMillis = Math.max(0, retryAfterMillis);
  }

  /** The protocol error code, for example {@code not_found}. */
  public String code() {
    return code;
  }

  /** The HTTP status that goes with the code, or 0 when there was no HTTP exchange. */
  public int status() {
    return status;
  }

  /** How long the server asked the client to wait before trying again; 0 when it did not say. */
  public long retryAfterMillis() {
    return retryAfterMillis;
  }
}
