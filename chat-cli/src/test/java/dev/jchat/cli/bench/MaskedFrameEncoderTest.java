package dev.jchat.cli.bench;

import static dev.jchat.cli.bench.ServerFrameDecoderTest.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The frames a client sends, byte by byte. */
final class MaskedFrameEncoderTest {
  private static final int KEY = 0x37fa213d;

  @Test
  void singleFrameMaskedText() {
    // RFC 6455 section 5.7: FIN + text, MASK + length 5, key 37fa213d, "Hello" masked
    assertArrayEquals(
        hex("81 85 37 fa 21 3d 7f 9f 4d 51 58"),
        MaskedFrameEncoder.encode(Rfc6455.OPCODE_TEXT, ascii("Hello"), 0, 5, KEY));
  }

  @Test
  void maskedPongAndClose() {
    // FIN + pong, MASK + length 5, the same key and masked "Hello"
    assertArrayEquals(
        hex("8a 85 37 fa 21 3d 7f 9f 4d 51 58"),
        MaskedFrameEncoder.encode(Rfc6455.OPCODE_PONG, ascii("Hello"), 0, 5, KEY));
    // FIN + close, MASK + length 2, key 00000000: code 1000 unmasked
    assertArrayEquals(
        hex("88 82 00 00 00 00 03 e8"),
        MaskedFrameEncoder.encode(Rfc6455.OPCODE_CLOSE, hex("03 e8"), 0, 2, 0));
  }

  @Test
  void anEmptyPayloadIsJustTheHeaderAndKey() {
    assertArrayEquals(
        hex("89 80 37 fa 21 3d"),
        MaskedFrameEncoder.encode(Rfc6455.OPCODE_PING, new byte[0], 0, 0, KEY));
  }

  @Test
  void onlyTheSliceIsSent() {
    byte[] around = ascii("..Hello..");
    assertArrayEquals(
        hex("81 85 37 fa 21 3d 7f 9f 4d 51 58"),
        MaskedFrameEncoder.encode(Rfc6455.OPCODE_TEXT, around, 2, 5, KEY));
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> MaskedFrameEncoder.encode(Rfc6455.OPCODE_TEXT, around, 5, 5, KEY));
  }

  @Test
  void lengthsPastTheSevenBitFieldUseSixteenBits() {
    // 125 fits the 7-bit field; 126 and 65535 take "126" and 16 bits
    assertArrayEquals(hex("81 fd"), header(125));
    assertArrayEquals(hex("81 fe 00 7e"), header(126));
    assertArrayEquals(hex("81 fe ff ff"), header(65_535));
  }

  @Test
  void lengthsPastSixteenBitsUseSixtyFour() {
    // 65536 takes "127" and 64 bits
    assertArrayEquals(hex("81 ff 00 00 00 00 00 01 00 00"), header(65_536));
  }

  @Test
  void theKeyRepeatsEveryFourBytesOfPayload() {
    byte[] payload = new byte[300];
    Arrays.fill(payload, (byte) 0);
    byte[] frame = MaskedFrameEncoder.encode(Rfc6455.OPCODE_TEXT, payload, 0, 300, KEY);
    assertEquals(2 + 2 + 4 + 300, frame.length);
    for (int i = 0; i < 300; i++) {
      // zeros masked are the key itself, after the 16-bit length and the key
      assertEquals(frame[4 + (i & 3)], frame[8 + i], "byte " + i);
    }
  }

  /** The frame header for a text of {@code length} bytes, up to but without the masking key. */
  private static byte[] header(int length) {
    byte[] frame = MaskedFrameEncoder.encode(Rfc6455.OPCODE_TEXT, new byte[length], 0, length, KEY);
    int headerLength = frame.length - length - 4;
    assertArrayEquals(
        hex("37 fa 21 3d"), Arrays.copyOfRange(frame, headerLength, headerLength + 4));
    return Arrays.copyOf(frame, headerLength);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
