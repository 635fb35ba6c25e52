package dev.jchat.cli.bench;

import static dev.jchat.cli.bench.Rfc6455.B0_FLAG_FIN;
import static dev.jchat.cli.bench.Rfc6455.B1_FLAG_MASK;
import static dev.jchat.cli.bench.Rfc6455.PAYLOAD_16;
import static dev.jchat.cli.bench.Rfc6455.PAYLOAD_64;
import static dev.jchat.cli.bench.Rfc6455.PAYLOAD_SHORT_MAX;

import java.util.Objects;

/**
 * Builds the frames a client sends (RFC 6455 section 5.2): final, with the shortest length field
 * that fits, masked with the key given (section 5.3). It writes whatever opcode and payload it is
 * given, so tests can build frames a server must refuse. Stateless; any thread.
 */
final class MaskedFrameEncoder {
  private MaskedFrameEncoder() {}

  /**
   * A final frame carrying {@code payload[offset, offset + length)} masked with {@code maskKey}.
   */
  static byte[] encode(int opcode, byte[] payload, int offset, int length, int maskKey) {
    Objects.checkFromIndexSize(offset, length, payload.length);
    int lengthBytes = length <= PAYLOAD_SHORT_MAX ? 0 : length <= 0xFFFF ? 2 : 8;
    byte[] out = new byte[2 + lengthBytes + 4 + length];
    out[0] = (byte) (B0_FLAG_FIN | opcode);
    if (lengthBytes == 0) {
      out[1] = (byte) (B1_FLAG_MASK | length);
    } else {
      out[1] = (byte) (B1_FLAG_MASK | (lengthBytes == 2 ? PAYLOAD_16 : PAYLOAD_64));
      putBigEndian(out, 2, lengthBytes, length);
    }
    int keyAt = 2 + lengthBytes;
    putBigEndian(out, keyAt, 4, maskKey & 0xFFFF_FFFFL);
    int payloadAt = keyAt + 4;
    for (int i = 0; i < length; i++) {
      out[payloadAt + i] = (byte) (payload[offset + i] ^ out[keyAt + (i & 3)]);
    }
    return out;
  }

  private static void putBigEndian(byte[] a, int at, int bytes, long value) {
    for (int i = bytes - 1; i >= 0; i--) {
      a[at + i] = (byte) value;
      value >>>= 8;
    }
  }
}
