package dev.jchat.internal.websocket;

/**
 * Receives what a {@link FrameDecoder} decodes, on the thread that called {@link
 * FrameDecoder#decode}. Each array handed over is new and belongs to the listener.
 */
public interface FrameListener {
  /** One complete text message, its fragments reassembled, already validated as UTF-8. */
  void onText(byte[] utf8);

  /** A ping; the RFC asks for a pong with the same payload. */
  void onPing(byte[] payload);

  /** A pong, solicited or not. */
  void onPong(byte[] payload);

  /**
   * A close frame; the decoder ignores everything after it. {@code code} is {@link
   * WebSocketProtocol#CLOSE_NO_STATUS} and {@code reason} empty when the frame had no body.
   */
  void onClose(int code, String reason);
}
