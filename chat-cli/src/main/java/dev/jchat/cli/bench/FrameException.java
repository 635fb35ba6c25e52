package dev.jchat.cli.bench;

/**
 * The server broke the framing rules of RFC 6455; the connection is of no further use. The message
 * is a sentence naming the rule.
 */
final class FrameException extends Exception {
  private final int closeCode;

  FrameException(int closeCode, String message) {
    super(message);
    this.closeCode = closeCode;
  }

  /** The close code the violation deserves, one of the {@code Rfc6455.CLOSE_*} constants. */
  int closeCode() {
    return closeCode;
  }
}
