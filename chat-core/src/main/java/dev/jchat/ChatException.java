package dev.jchat;

/**
 * A failure reported by the chat server or client, with the protocol's error code ({@code
 * bad_request}, {@code unauthorized}, {@code forbidden}, {@code not_found}, {@code conflict},
 * {@code too_large}, {@code rate_limited}, {@code internal}, or {@code unavailable} when the server
 * could not be reached).
 */
public class ChatException extends RuntimeException {
  private final String code;
  private final int status;

  public ChatException(String code, int status, String message) {
    super(message);
    this.code = code;
    this.status = status;
  }

  public ChatException(String code, int status, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.status = status;
  }

  /** The protocol error code, for example {@code not_found}. */
  public String code() {
    return code;
  }

  /** The HTTP status that goes with the code, or 0 when there was no HTTP exchange. */
  public int status() {
    return status;
  }
}
