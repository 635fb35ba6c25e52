package dev.jchat.cli.bench;

/**
 * The numbers of RFC 6455 that the bench's frames use. A frame starts with this header:
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
 * <p>A client masks every frame it sends; a server masks none. All multi-byte numbers are
 * big-endian. No instances.
 */
final class Rfc6455 {
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

  /** The largest payload that fits in the 7-bit length field, and the largest control payload. */
  static final int PAYLOAD_SHORT_MAX = 125;

  /** 7-bit length value meaning "a 16-bit length follows". */
  static final int PAYLOAD_16 = 126;

  /** 7-bit length value meaning "a 64-bit length follows". */
  static final int PAYLOAD_64 = 127;

  static final int OPCODE_CONTINUATION = 0x0;
  static final int OPCODE_TEXT = 0x1;
  static final int OPCODE_BINARY = 0x2;
  static final int OPCODE_CLOSE = 0x8;
  static final int OPCODE_PING = 0x9;
  static final int OPCODE_PONG = 0xA;

  /** Opcodes with this bit set are control frames. */
  static final int OPCODE_FLAG_CONTROL = 0x8;

  static final int CLOSE_PROTOCOL_ERROR = 1002;
  static final int CLOSE_UNSUPPORTED_DATA = 1003;

  /** Reported when a close frame had no body; never sent inside one. */
  static final int CLOSE_NO_STATUS = 1005;

  static final int CLOSE_MESSAGE_TOO_BIG = 1009;

  private Rfc6455() {}

  /**
   * Whether a peer may put {@code code} in a close frame: 1000-1003 and 1007-1014 (defined or
   * reserved by the RFC's registry), and 3000-4999 (libraries and applications).
   */
  static boolean isValidReceivedCloseCode(int code) {
    return (code >= 1000 && code <= 1003)
        || (code >= 1007 && code <= 1014)
        || (code >= 3000 && code <= 4999);
  }
}
