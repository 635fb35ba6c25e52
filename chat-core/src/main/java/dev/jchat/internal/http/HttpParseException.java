package dev.jchat.internal.http;

/**
 * A request the parser refuses, with the status to answer before closing the connection: 400
 * malformed, 413 body too large, 431 head too large, 501 unsupported transfer coding, 505
 * unsupported version. The message is a sentence fit for the error response; it never echoes the
 * offending bytes.
 */
public final class HttpParseException extends Exception {
  private final int status;

  public HttpParseException(int status, String message) {
    // No stack trace: this is the peer's mistake, not ours, and a flood of bad requests
    // should not cost a stack walk each.
    super(message, null, false, false);
    this.status = status;
  }

  /** The HTTP status to answer with. */
  public int status() {
    return status;
  }
}
