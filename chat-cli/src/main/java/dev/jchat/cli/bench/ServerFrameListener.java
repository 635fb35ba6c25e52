package dev.jchat.cli.bench;

/**
 * Receives what a {@link ServerFrameDecoder} decodes, on the thread that called {@link
 * ServerFrameDecoder#decode}. Each array handed over is new and belongs to the listener.
 */
interface ServerFrameListener {
  /** One complete text message, its fragments reassembled; not checked to be UTF-8. */
  void onText(byte[] text);

  /** A ping; the RFC asks for a pong with the same payload. */
  void onPing(byte[] payload);

  /** A pong, solicited or not. */
  void onPong(byte[] payload);

  /**
   * A close frame; the decoder ignores everything after it. {@code code} is {@link
   * Rfc6455#CLOSE_NO_STATUS} and {@code reason} empty when the frame had no body.
   */
  void onClose(int code, String reason);
}
