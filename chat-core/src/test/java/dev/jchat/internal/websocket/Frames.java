package dev.jchat.internal.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/**
 * Builds test frames and feeds them to decoders the ways a network can cut them: whole, split in
 * two at every offset, and one byte at a time.
 */
final class Frames {
  /** The masking key of RFC 6455's examples. */
  static final int RFC_MASK = 0x37fa213d;

  private Frames() {}

  /** Bytes from hex, spaces allowed: {@code hex("81 05 48 65")}. */
  static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** A client frame, masked with the RFC's key. */
  static byte[] masked(int opcode, boolean fin, byte[] payload) {
    return FrameEncoder.maskedFrame(opcode, fin, payload, 0, payload.length, RFC_MASK);
  }

  static byte[] masked(int opcode, boolean fin, String payload) {
    return masked(opcode, fin, utf8(payload));
  }

  /** A text payload of {@code length} ASCII bytes that is not all one letter. */
  static String ascii(int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append((char) ('a' + i % 26));
    }
    return s.toString();
  }

  /** Decodes {@code input} in one call. */
  static List<String> decode(FrameDecoder decoder, byte[] input) throws WebSocketException {
    FrameRecorder recorder = new FrameRecorder();
    feed(decoder, recorder, input, 0, input.length);
    return recorder.events;
  }

  /**
   * Asserts that fresh decoders deliver {@code expected} however {@code input} is cut: whole, in
   * two pieces at every offset, and one byte at a time; and that each call consumes all.
   */
  static void assertDecodes(Supplier<FrameDecoder> decoders, byte[] input, String... expected)
      throws WebSocketException {
    List<String> want = List.of(expected);
    for (int split = 0; split <= input.length; split++) {
      FrameDecoder decoder = decoders.get();
      FrameRecorder recorder = new FrameRecorder();
      feed(decoder, recorder, input, 0, split);
      feed(decoder, recorder, input, split, input.length - split);
      assertEquals(want, recorder.events, "split at " + split);
    }
    FrameDecoder decoder = decoders.get();
    FrameRecorder recorder = new FrameRecorder();
    for (int i = 0; i < input.length; i++) {
      feed(decoder, recorder, input, i, 1);
    }
    assertEquals(want, recorder.events, "one byte at a time");
  }

  /**
   * Asserts that fresh decoders fail with {@code closeCode} and {@code message} however {@code
   * input} is cut, having delivered exactly {@code before} first.
   */
  static void assertFails(
      Supplier<FrameDecoder> decoders,
      byte[] input,
      int closeCode,
      String message,
      String... before) {
    List<String> want = List.of(before);
    for (int split = 0; split <= input.length; split++) {
      int at = split;
      FrameDecoder decoder = decoders.get();
      FrameRecorder recorder = new FrameRecorder();
      WebSocketException e =
          assertThrows(
              WebSocketException.class,
              () -> {
                feed(decoder, recorder, input, 0, at);
                feed(decoder, recorder, input, at, input.length - at);
              },
              "split at " + split);
      assertFailure(closeCode, message, e, "split at " + split);
      assertEquals(want, recorder.events, "split at " + split);
    }
    FrameDecoder decoder = decoders.get();
    FrameRecorder recorder = new FrameRecorder();
    WebSocketException e =
        assertThrows(
            WebSocketException.class,
            () -> {
              for (int i = 0; i < input.length; i++) {
                feed(decoder, recorder, input, i, 1);
              }
            },
            "one byte at a time");
    assertFailure(closeCode, message, e, "one byte at a time");
    assertEquals(want, recorder.events, "one byte at a time");
  }

  static void assertFailure(int closeCode, String message, WebSocketException e, String how) {
    if (e.closeCode() != closeCode || !e.getMessage().equals(message)) {
      fail(
          how
              + ": expected "
              + closeCode
              + " \""
              + message
              + "\" but was "
              + e.closeCode()
              + " \""
              + e.getMessage()
              + "\"");
    }
  }

  private static void feed(
      FrameDecoder decoder, FrameRecorder recorder, byte[] input, int offset, int length)
      throws WebSocketException {
    ByteBuffer in = ByteBuffer.wrap(input, offset, length);
    decoder.decode(in, recorder);
    assertFalse(in.hasRemaining(), "decode() left input unconsumed");
  }
}
