package dev.jchat.internal.websocket;

/**
 * The peer broke the protocol; the connection must be closed with {@link #closeCode()}, and the
 * message is a sentence fit for the close frame's reason.
 */
public final class WebSocketException extends Exception {
  private final int closeCode;

  public WebSocketException(int closeCode, String message) {
    super(message);
    this.closeCode = closeCode;
  }

  /** The close code to send, one of the {@code WebSocketProtocol.CLOSE_*} constants. */
  public int closeCode() {
    return closeCode;
  }
}
