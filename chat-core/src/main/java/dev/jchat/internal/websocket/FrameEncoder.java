package dev.jchat.internal.websocket;

import static dev.jchat.internal.websocket.WebSocketProtocol.B0_FLAG_FIN;
import static dev.jchat.internal.websocket.WebSocketProtocol.B1_FLAG_MASK;
import static dev.jchat.internal.websocket.WebSocketProtocol.CLOSE_NO_STATUS;
import static dev.jchat.internal.websocket.WebSocketProtocol.MAX_CONTROL_PAYLOAD;
import static dev.jchat.internal.websocket.WebSocketProtocol.OPCODE_CLOSE;
import static dev.jchat.internal.websocket.WebSocketProtocol.OPCODE_PING;
import static dev.jchat.internal.websocket.WebSocketProtocol.OPCODE_PONG;
import static dev.jchat.internal.websocket.WebSocketProtocol.OPCODE_TEXT;
import static dev.jchat.internal.websocket.WebSocketProtocol.PAYLOAD_LONG;
import static dev.jchat.internal.websocket.WebSocketProtocol.PAYLOAD_SHORT;
import static dev.jchat.internal.websocket.WebSocketProtocol.PAYLOAD_SHORT_16_MAX;
import static dev.jchat.internal.websocket.WebSocketProtocol.PAYLOAD_SHORT_MAX;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Builds whole frames as arrays ready to write, each a single allocation. Server frames are
 * unmasked; {@link #maskedFrame} is for the client side.
 *
 * <p>The named factories ({@link #text}, {@link #close}, {@link #ping}, {@link #pong}) only build
 * valid frames. {@link #frame} and {@link #maskedFrame} write whatever they are given, so tests and
 * the load generator can also build invalid frames. Stateless; any thread.
 */
public final class FrameEncoder {
  /** Close reasons share the 125-byte control payload with the 2-byte code. */
  static final int MAX_CLOSE_REASON = MAX_CONTROL_PAYLOAD - 2;

  private FrameEncoder() {}

  /** A final text frame; {@code utf8} must be valid UTF-8, which is not checked. */
  public static byte[] text(byte[] utf8) {
    return frame(OPCODE_TEXT, true, utf8, 0, utf8.length);
  }

  /**
   * A close frame. The reason is truncated to fit the 125-byte control payload, at a code point
   * boundary. {@link WebSocketProtocol#CLOSE_NO_STATUS} gives a close frame without a body (the
   * reason is dropped), which is how a close without status is echoed.
   *
   * @throws IllegalArgumentException if {@code code} may not be sent in a close frame
   */
  public static byte[] close(int code, String reason) {
    if (code == CLOSE_NO_STATUS) {
      return frame(OPCODE_CLOSE, true, new byte[0], 0, 0);
    }
    if (!WebSocketProtocol.isValidReceivedCloseCode(code)) {
      throw new IllegalArgumentException("Close code " + code + " must not be sent.");
    }
    byte[] reasonBytes = reason.getBytes(StandardCharsets.UTF_8);
    int reasonLength = truncatedLength(reasonBytes, MAX_CLOSE_REASON);
    byte[] payload = new byte[2 + reasonLength];
    payload[0] = (byte) (code >>> 8);
    payload[1] = (byte) code;
    System.arraycopy(reasonBytes, 0, payload, 2, reasonLength);
    return frame(OPCODE_CLOSE, true, payload, 0, payload.length);
  }

  /**
   * @throws IllegalArgumentException if the payload is longer than 125 bytes
   */
  public static byte[] ping(byte[] payload) {
    return control(OPCODE_PING, payload);
  }

  /**
   * @throws IllegalArgumentException if the payload is longer than 125 bytes
   */
  public static byte[] pong(byte[] payload) {
    return control(OPCODE_PONG, payload);
  }

  /**
   * An unmasked frame holding {@code payload[offset, offset + length)}.
   *
   * @throws IllegalArgumentException if {@code opcode} does not fit in 4 bits
   */
  public static byte[] frame(int opcode, boolean fin, byte[] payload, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, payload.length);
    byte[] out = new byte[headerLength(length, false) + length];
    int headerLength = writeHeader(out, opcode, fin, length, false);
    System.arraycopy(payload, offset, out, headerLength, length);
    return out;
  }

  /**
   * A frame holding {@code payload[offset, offset + length)} masked with {@code maskKey}, whose
   * most significant byte masks the first payload byte. A client must pick a fresh random key for
   * every frame.
   */
  public static byte[] maskedFrame(
      int opcode, boolean fin, byte[] payload, int offset, int length, int maskKey) {
    Objects.checkFromIndexSize(offset, length, payload.length);
    byte[] out = new byte[headerLength(length, true) + length];
    int keyAt = writeHeader(out, opcode, fin, length, true);
    out[keyAt] = (byte) (maskKey >>> 24);
    out[keyAt + 1] = (byte) (maskKey >>> 16);
    out[keyAt + 2] = (byte) (maskKey >>> 8);
    out[keyAt + 3] = (byte) maskKey;
    int payloadAt = keyAt + 4;
    System.arraycopy(payload, offset, out, payloadAt, length);
    WebSocketProtocol.toggleMask(out, payloadAt, length, maskKey, 0);
    return out;
  }

  /** Where the payload starts in an unmasked frame made by this encoder. */
  public static int payloadOffset(byte[] unmaskedFrame) {
    int length7 = unmaskedFrame[1] & 0x7f;
    return length7 == PAYLOAD_SHORT ? 4 : length7 == PAYLOAD_LONG ? 10 : 2;
  }

  /** The bytes before the payload: 2, plus 2 or 8 for a longer length, plus 4 for a mask. */
  public static int headerLength(int payloadLength, boolean masked) {
    if (payloadLength < 0) {
      throw new IllegalArgumentException("Payload length must not be negative.");
    }
    int lengthBytes =
        payloadLength <= PAYLOAD_SHORT_MAX ? 0 : payloadLength <= PAYLOAD_SHORT_16_MAX ? 2 : 8;
    return 2 + lengthBytes + (masked ? 4 : 0);
  }

  private static byte[] control(int opcode, byte[] payload) {
    if (payload.length > MAX_CONTROL_PAYLOAD) {
      throw new IllegalArgumentException("Control frame payload must not exceed 125 bytes.");
    }
    return frame(opcode, true, payload, 0, payload.length);
  }

  /** Writes byte 0, byte 1 and any extended length; returns where the header stops. */
  private static int writeHeader(byte[] out, int opcode, boolean fin, int length, boolean masked) {
    if ((opcode & ~0xF) != 0) {
      throw new IllegalArgumentException("Opcode must be between 0x0 and 0xF: " + opcode + ".");
    }
    out[0] = (byte) ((fin ? B0_FLAG_FIN : 0) | opcode);
    int maskBit = masked ? B1_FLAG_MASK : 0;
    if (length <= PAYLOAD_SHORT_MAX) {
      out[1] = (byte) (maskBit | length);
      return 2;
    } else if (length <= PAYLOAD_SHORT_16_MAX) {
      out[1] = (byte) (maskBit | PAYLOAD_SHORT);
      out[2] = (byte) (length >>> 8);
      out[3] = (byte) length;
      return 4;
    }
    out[1] = (byte) (maskBit | PAYLOAD_LONG);
    // An int length leaves the upper four of the eight bytes zero.
    out[6] = (byte) (length >>> 24);
    out[7] = (byte) (length >>> 16);
    out[8] = (byte) (length >>> 8);
    out[9] = (byte) length;
    return 10;
  }

  /** The longest prefix of valid UTF-8 {@code utf8} within {@code max} bytes, whole code points. */
  static int truncatedLength(byte[] utf8, int max) {
    if (utf8.length <= max) {
      return utf8.length;
    }
    int cut = max;
    // utf8[cut] is the first byte dropped; if it continues a sequence, drop that sequence too.
    while (cut > 0 && (utf8[cut] & 0b1100_0000) == 0b1000_0000) {
      cut--;
    }
    return cut;
  }
}
