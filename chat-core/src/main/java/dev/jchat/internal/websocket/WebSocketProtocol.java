package dev.jchat.internal.websocket;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The numbers of RFC 6455 in one place. A frame starts with this header:
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-------+-+-------------+-------------------------------+
 *  |F|R|R|R| opcode|M| payload len |    extended payload length    |
 *  |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
 *  |N|V|V|V|       |S|             |   (if payload len==126/127)   |
 *  | |1|2|3|       |K|             |                               |
 *  +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 *  |     extended payload length continued, if payload len == 127  |
 *  + - - - - - - - - - - - - - - - +-------------------------------+
 *  |                               |  masking key, if MASK set to 1|
 *  +-------------------------------+-------------------------------+
 *  | masking key (continued)       |          payload data         |
 *  +-------------------------------- - - - - - - - - - - - - - - - +
 * </pre>
 *
 * <p>A payload length of 0 to 125 is the length itself; 126 means the next 2 bytes hold it, 127 the
 * next 8 (most significant bit zero). All multi-byte numbers are big-endian. Stateless; any thread.
 */
public final class WebSocketProtocol {
  /** Byte 0: this frame is the last of its message. */
  static final int B0_FLAG_FIN = 0b1000_0000;

  /** Byte 0: RSV1, RSV2 and RSV3, which only a negotiated extension may set. */
  static final int B0_MASK_RESERVED = 0b0111_0000;

  /** Byte 0: the opcode. */
  static final int B0_MASK_OPCODE = 0b0000_1111;

  /** Byte 1: a masking key follows the length. */
  static final int B1_FLAG_MASK = 0b1000_0000;

  /** Byte 1: the 7-bit payload length. */
  static final int B1_MASK_LENGTH = 0b0111_1111;

  /** The largest payload that fits in the 7-bit length field. */
  static final int PAYLOAD_SHORT_MAX = 125;

  /** 7-bit length value meaning "a 16-bit length follows". */
  static final int PAYLOAD_SHORT = 126;

  /** The largest payload a 16-bit length can express. */
  static final int PAYLOAD_SHORT_16_MAX = 0xFFFF;

  /** 7-bit length value meaning "a 64-bit length follows". */
  static final int PAYLOAD_LONG = 127;

  /** Control frames (close, ping, pong) carry at most this many payload bytes. */
  public static final int MAX_CONTROL_PAYLOAD = PAYLOAD_SHORT_MAX;

  public static final int OPCODE_CONTINUATION = 0x0;
  public static final int OPCODE_TEXT = 0x1;
  public static final int OPCODE_BINARY = 0x2;
  public static final int OPCODE_CLOSE = 0x8;
  public static final int OPCODE_PING = 0x9;
  public static final int OPCODE_PONG = 0xA;

  /** Opcodes with this bit set are control frames. */
  static final int OPCODE_FLAG_CONTROL = 0x8;

  public static final int CLOSE_NORMAL = 1000;
  public static final int CLOSE_GOING_AWAY = 1001;
  public static final int CLOSE_PROTOCOL_ERROR = 1002;
  public static final int CLOSE_UNSUPPORTED_DATA = 1003;

  /** Reported when a close frame had no body; never sent inside one. */
  public static final int CLOSE_NO_STATUS = 1005;

  /** Reported when the connection dropped without a close frame; never sent inside one. */
  public static final int CLOSE_ABNORMAL = 1006;

  public static final int CLOSE_INVALID_PAYLOAD = 1007;
  public static final int CLOSE_POLICY_VIOLATION = 1008;
  public static final int CLOSE_MESSAGE_TOO_BIG = 1009;
  public static final int CLOSE_INTERNAL_ERROR = 1011;

  /** Appended to the client's key before hashing, so only a WebSocket server can answer. */
  private static final String ACCEPT_MAGIC = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private static final VarHandle LONG_BIG_ENDIAN =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private WebSocketProtocol() {}

  /**
   * Whether a peer may put {@code code} in a close frame: 1000-1003 and 1007-1014 (defined or
   * reserved by the RFC's registry), and 3000-4999 (libraries and applications). 1004, 1005, 1006
   * and 1015 are reserved for local use, and everything else is unassigned.
   */
  public static boolean isValidReceivedCloseCode(int code) {
    return (code >= 1000 && code <= 1003)
        || (code >= 1007 && code <= 1014)
        || (code >= 3000 && code <= 4999);
  }

  /** The {@code Sec-WebSocket-Accept} value answering a client's {@code Sec-WebSocket-Key}. */
  public static String acceptKey(String secWebSocketKey) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      byte[] digest =
          sha1.digest((secWebSocketKey + ACCEPT_MAGIC).getBytes(StandardCharsets.ISO_8859_1));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("Every Java platform must provide SHA-1.", e);
    }
  }

  /**
   * XORs {@code a[from, from + length)} with the masking key, in place; applying it twice restores
   * the input. {@code phase} is the payload offset of {@code a[from]}, because the key repeats
   * every 4 bytes of the payload, not of the array.
   */
  static void toggleMask(byte[] a, int from, int length, int maskKey, long phase) {
    // Rotate so the key's most significant byte masks a[from].
    int key = Integer.rotateLeft(maskKey, (int) (phase & 3) * Byte.SIZE);
    long key64 = ((long) key << Integer.SIZE) | (key & 0xFFFF_FFFFL);
    int i = from;
    int end = from + length;
    for (; end - i >= Long.BYTES; i += Long.BYTES) {
      LONG_BIG_ENDIAN.set(a, i, (long) LONG_BIG_ENDIAN.get(a, i) ^ key64);
    }
    // Eight bytes are two whole keys, so the rotation still lines up here.
    for (; i < end; i++) {
      a[i] ^= (byte) (key >>> 24);
      key = Integer.rotateLeft(key, Byte.SIZE);
    }
  }
}
