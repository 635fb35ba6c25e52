package dev.jchat.internal.websocket;

import static dev.jchat.internal.websocket.Frames.RFC_MASK;
import static dev.jchat.internal.websocket.Frames.ascii;
import static dev.jchat.internal.websocket.Frames.concat;
import static dev.jchat.internal.websocket.Frames.decode;
import static dev.jchat.internal.websocket.Frames.hex;
import static dev.jchat.internal.websocket.Frames.utf8;
import static dev.jchat.internal.websocket.WebSocketProtocol.CLOSE_NO_STATUS;
import static dev.jchat.internal.websocket.WebSocketProtocol.OPCODE_CONTINUATION;
import static dev.jchat.internal.websocket.WebSocketProtocol.OPCODE_PING;
import static dev.jchat.internal.websocket.WebSocketProtocol.OPCODE_TEXT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class FrameEncoderTest {
  @Test
  void textFrameMatchesTheRfcExample() {
    assertArrayEquals(hex("81 05 48 65 6c 6c 6f"), FrameEncoder.text(utf8("Hello")));
  }

  @Test
  void maskedFrameMatchesTheRfcExample() {
    byte[] hello = utf8("Hello");
    assertArrayEquals(
        hex("81 85 37 fa 21 3d 7f 9f 4d 51 58"),
        FrameEncoder.maskedFrame(OPCODE_TEXT, true, hello, 0, 5, RFC_MASK));
  }

  @Test
  void frameTakesASliceOfThePayload() {
    assertArrayEquals(
        hex("01 03 48 65 6c"), FrameEncoder.frame(OPCODE_TEXT, false, utf8("xHelx"), 1, 3));
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> FrameEncoder.frame(OPCODE_TEXT, true, utf8("abc"), 2, 2));
  }

  @Test
  void headerLengthGrowsAtEachLengthEncoding() {
    assertEquals(2, FrameEncoder.headerLength(0, false));
    assertEquals(2, FrameEncoder.headerLength(125, false));
    assertEquals(4, FrameEncoder.headerLength(126, false));
    assertEquals(4, FrameEncoder.headerLength(65_535, false));
    assertEquals(10, FrameEncoder.headerLength(65_536, false));
    assertEquals(6, FrameEncoder.headerLength(125, true));
    assertEquals(8, FrameEncoder.headerLength(126, true));
    assertEquals(14, FrameEncoder.headerLength(65_536, true));
  }

  @Test
  void lengthEncodingsMatchTheRfc() {
    assertArrayEquals(hex("81 7e 01 00"), head(FrameEncoder.text(new byte[256]), 4));
    assertArrayEquals(
        hex("81 7f 00 00 00 00 00 01 00 00"), head(FrameEncoder.text(new byte[65_536]), 10));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 7, 8, 125, 126, 127, 65_535, 65_536, 70_000})
  void maskedFramesRoundTripThroughAServerDecoder(int length) throws Exception {
    String text = ascii(length);
    byte[] payload = utf8(text);
    byte[] frame = FrameEncoder.maskedFrame(OPCODE_TEXT, true, payload, 0, length, 0x9e3779b9);
    assertEquals(FrameEncoder.headerLength(length, true) + length, frame.length);
    assertEquals(List.of(FrameRecorder.text(text)), decode(new FrameDecoder(70_000, true), frame));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 125, 126, 65_535, 65_536, 70_000})
  void unmaskedFramesRoundTripThroughAClientDecoder(int length) throws Exception {
    String text = ascii(length);
    byte[] frame = FrameEncoder.text(utf8(text));
    assertEquals(FrameEncoder.headerLength(length, false) + length, frame.length);
    assertEquals(List.of(FrameRecorder.text(text)), decode(new FrameDecoder(70_000, false), frame));
  }

  @Test
  void fragmentedMessageRoundTrips() throws Exception {
    byte[] text = utf8("fragments of €");
    byte[] input =
        concat(
            FrameEncoder.maskedFrame(OPCODE_TEXT, false, text, 0, 13, 1),
            FrameEncoder.maskedFrame(OPCODE_PING, true, text, 0, 3, 2),
            FrameEncoder.maskedFrame(OPCODE_CONTINUATION, true, text, 13, text.length - 13, 3));
    assertEquals(
        List.of("ping 667261", "text fragments of €"), decode(new FrameDecoder(100, true), input));
  }

  @Test
  void controlFramesRoundTrip() throws Exception {
    byte[] input =
        concat(
            FrameEncoder.ping(hex("01 02")),
            FrameEncoder.pong(new byte[0]),
            FrameEncoder.close(1000, "bye"));
    assertEquals(
        List.of("ping 0102", "pong ", "close 1000 bye"),
        decode(new FrameDecoder(100, false), input));
  }

  @Test
  void closeFrameHoldsCodeThenReason() {
    assertArrayEquals(hex("88 05 03 e8 62 79 65"), FrameEncoder.close(1000, "bye"));
    assertArrayEquals(hex("88 02 03 f1"), FrameEncoder.close(1009, ""));
  }

  @Test
  void closeWithNoStatusHasNoBody() {
    assertArrayEquals(hex("88 00"), FrameEncoder.close(CLOSE_NO_STATUS, "ignored"));
  }

  @ParameterizedTest
  @ValueSource(ints = {999, 1004, 1006, 1015, 5000})
  void closeRefusesCodesThatMustNotBeSent(int code) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> FrameEncoder.close(code, ""));
    assertEquals("Close code " + code + " must not be sent.", e.getMessage());
  }

  @Test
  void closeReasonIsTruncatedToFitTheControlPayload() throws Exception {
    String reason = ascii(200);
    byte[] frame = FrameEncoder.close(1008, reason);
    assertEquals(2 + 125, frame.length);
    assertEquals(
        List.of("close 1008 " + reason.substring(0, 123)),
        decode(new FrameDecoder(100, false), frame));
  }

  @Test
  void closeReasonTruncationKeepsCodePointsWhole() throws Exception {
    // 2-, 3- and 4-byte code points: keep as many whole ones as fit in 123 bytes.
    assertClosesWith("é".repeat(100), "é".repeat(61));
    assertClosesWith("€".repeat(100), "€".repeat(41));
    assertClosesWith("𝄞".repeat(100), "𝄞".repeat(30));
    assertClosesWith("a".repeat(122) + "€", "a".repeat(122));
    assertClosesWith("a".repeat(120) + "€", "a".repeat(120) + "€");
  }

  @Test
  void controlPayloadsOver125BytesAreRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> FrameEncoder.ping(new byte[126]));
    assertEquals("Control frame payload must not exceed 125 bytes.", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> FrameEncoder.pong(new byte[126]));
    assertEquals(127, FrameEncoder.pong(new byte[125]).length);
  }

  @Test
  void opcodeMustFitInFourBits() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> FrameEncoder.frame(16, true, new byte[0], 0, 0));
    assertEquals("Opcode must be between 0x0 and 0xF: 16.", e.getMessage());
  }

  private static void assertClosesWith(String reason, String sent) throws Exception {
    byte[] frame = FrameEncoder.close(1000, reason);
    assertEquals(List.of("close 1000 " + sent), decode(new FrameDecoder(100, false), frame));
  }

  private static byte[] head(byte[] a, int n) {
    return Arrays.copyOf(a, n);
  }
}
