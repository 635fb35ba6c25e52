package dev.jchat.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the bench's decoder delivers for the frames a server sends, however the input is cut, and
 * which violations it refuses as soon as their bytes have arrived.
 */
final class ServerFrameDecoderTest {
  private static final int MAX = 65_536;

  // RFC 6455 section 5.7.

  @Test
  void singleFrameUnmaskedText() throws Exception {
    // FIN + text, length 5, "Hello"
    assertDecodes(hex("81 05 48 65 6c 6c 6f"), "text Hello");
  }

  @Test
  void fragmentedUnmaskedText() throws Exception {
    // text without FIN "Hel", then FIN + continuation "lo"
    assertDecodes(hex("01 03 48 65 6c  80 02 6c 6f"), "text Hello");
  }

  @Test
  void unmaskedPingAndPong() throws Exception {
    assertDecodes(hex("89 05 48 65 6c 6c 6f"), "ping 48656c6c6f");
    assertDecodes(hex("8a 05 48 65 6c 6c 6f"), "pong 48656c6c6f");
  }

  @Test
  void sixteenBitLength() throws Exception {
    // FIN + text, length 126 = "16 bits follow", 0x0100 = 256
    String text = "x".repeat(256);
    assertDecodes(concat(hex("81 7e 01 00"), ascii(text)), "text " + text);
  }

  @Test
  void sixtyFourBitLength() throws Exception {
    // FIN + text, length 127 = "64 bits follow", 0x10000 = 65536, which is exactly the limit
    String text = "y".repeat(65_536);
    byte[] frame = concat(hex("81 7f 00 00 00 00 00 01 00 00"), ascii(text));
    assertEquals(List.of("text " + text), decode(new ServerFrameDecoder(MAX), frame));
    assertEquals(List.of("text " + text), decodeByteByByte(frame));
  }

  // Messages and control frames together.

  @Test
  void aPingBetweenFragmentsComesFirst() throws Exception {
    // text "Hel" without FIN, ping "p", continuation "lo" with FIN
    assertDecodes(hex("01 03 48 65 6c  89 01 70  80 02 6c 6f"), "ping 70", "text Hello");
  }

  @Test
  void emptyFramesAndMessages() throws Exception {
    // empty text; empty first fragment, then "a"; ping without payload
    assertDecodes(hex("81 00  01 00 80 01 61  89 00"), "text ", "text a", "ping ");
  }

  @Test
  void closeWithCodeAndReason() throws Exception {
    // FIN + close, length 4: code 1001, reason "ok"
    assertDecodes(hex("88 04 03 e9 6f 6b"), "close 1001 ok");
  }

  @Test
  void closeWithoutBodyReportsNoStatus() throws Exception {
    assertDecodes(hex("88 00"), "close 1005 ");
  }

  @Test
  void everythingAfterACloseIsIgnored() throws Exception {
    ServerFrameDecoder decoder = new ServerFrameDecoder(MAX);
    ByteBuffer in = ByteBuffer.wrap(hex("88 02 03 e8  81 01 61  ff ff"));
    List<String> events = new ArrayList<>();
    decoder.decode(in, recorder(events));
    assertEquals(List.of("close 1000 "), events);
    assertEquals(0, in.remaining(), "consumed");
    decoder.decode(ByteBuffer.wrap(hex("81 01 62")), recorder(events));
    assertEquals(List.of("close 1000 "), events);
  }

  // Violations, each refused with its close code and sentence.

  @Test
  void maskedFramesAreRefused() {
    // FIN + text, MASK + length 5: fine from a client, refused before the key from a server
    assertRefused(hex("81 85"), 1002, "Server frames must not be masked.");
  }

  @Test
  void reservedBitsAreRefused() {
    assertRefused(hex("c1"), 1002, "Reserved bits must not be set.");
  }

  @Test
  void reservedOpcodesAreRefused() {
    assertRefused(hex("83"), 1002, "Reserved opcode 0x3.");
    assertRefused(hex("8b"), 1002, "Reserved opcode 0xB.");
  }

  @Test
  void binaryMessagesAreRefused() {
    assertRefused(hex("82"), 1003, "Binary messages are not supported.");
  }

  @Test
  void fragmentedControlFramesAreRefused() {
    assertRefused(hex("09"), 1002, "Control frames must be final.");
  }

  @Test
  void longControlFramesAreRefused() {
    assertRefused(hex("89 7e"), 1002, "Control frame payload must not exceed 125 bytes.");
  }

  @Test
  void continuationWithoutAMessageIsRefused() {
    assertRefused(hex("80"), 1002, "Continuation frame without a message to continue.");
  }

  @Test
  void aNewMessageInsideAFragmentedOneIsRefused() {
    assertRefused(hex("01 01 61  81"), 1002, "Expected a continuation frame, got a new message.");
  }

  @Test
  void aOneByteCloseIsRefused() {
    assertRefused(hex("88 01"), 1002, "Close frame payload must not be 1 byte.");
  }

  @Test
  void aReservedCloseCodeIsRefused() {
    // 1006 is for local use only
    assertRefused(hex("88 02 03 ee"), 1002, "Close code 1006 is not allowed in a close frame.");
  }

  @Test
  void aTooLongMessageIsRefusedAtItsHeader() {
    // 16-bit length 0x0101 = 257 against a limit of 256, and no payload yet
    assertRefused(256, hex("81 7e 01 01"), 1009, "Message is longer than 256 bytes.");
  }

  @Test
  void fragmentsCountTowardsTheLimitTogether() {
    // 200 bytes without FIN, then a continuation header announcing 57 more: 257 in all
    byte[] first = concat(hex("01 7e 00 c8"), ascii("z".repeat(200)));
    assertRefused(256, concat(first, hex("80 39")), 1009, "Message is longer than 256 bytes.");
  }

  @Test
  void aSixtyFourBitLengthWithTheTopBitSetIsRefused() {
    assertRefused(
        hex("81 7f 80 00 00 00 00 00 00 00"),
        1002,
        "Frame length must not have the most significant bit set.");
  }

  @Test
  void aFailedDecoderRefusesToGoOn() {
    ServerFrameDecoder decoder = new ServerFrameDecoder(MAX);
    assertThrows(
        FrameException.class, () -> decoder.decode(wrap("c1"), recorder(new ArrayList<>())));
    assertThrows(
        IllegalStateException.class,
        () -> decoder.decode(wrap("81 00"), recorder(new ArrayList<>())));
  }

  /** Decodes {@code input} whole, byte by byte, and split in two at every offset. */
  private static void assertDecodes(byte[] input, String... expected) throws Exception {
    List<String> want = List.of(expected);
    assertEquals(want, decode(new ServerFrameDecoder(MAX), input), "whole");
    assertEquals(want, decodeByteByByte(input), "byte by byte");
    for (int cut = 0; cut <= input.length; cut++) {
      ServerFrameDecoder decoder = new ServerFrameDecoder(MAX);
      List<String> events = new ArrayList<>();
      decoder.decode(ByteBuffer.wrap(input, 0, cut), recorder(events));
      decoder.decode(ByteBuffer.wrap(input, cut, input.length - cut), recorder(events));
      assertEquals(want, events, "cut at " + cut);
    }
  }

  /** The violation is raised once its last byte arrives, whole or byte by byte. */
  private static void assertRefused(byte[] input, int code, String sentence) {
    assertRefused(MAX, input, code, sentence);
  }

  private static void assertRefused(int max, byte[] input, int code, String sentence) {
    FrameException whole =
        assertThrows(FrameException.class, () -> decode(new ServerFrameDecoder(max), input));
    assertEquals(code, whole.closeCode());
    assertEquals(sentence, whole.getMessage());
    ServerFrameDecoder decoder = new ServerFrameDecoder(max);
    List<String> events = new ArrayList<>();
    for (int i = 0; i < input.length; i++) {
      try {
        decoder.decode(ByteBuffer.wrap(input, i, 1), recorder(events));
      } catch (FrameException e) {
        assertEquals(input.length - 1, i, "raised at the last byte");
        assertEquals(sentence, e.getMessage());
        return;
      }
    }
    fail("byte by byte, nothing was refused: " + events);
  }

  private static List<String> decode(ServerFrameDecoder decoder, byte[] input)
      throws FrameException {
    List<String> events = new ArrayList<>();
    decoder.decode(ByteBuffer.wrap(input), recorder(events));
    return events;
  }

  private static List<String> decodeByteByByte(byte[] input) throws FrameException {
    ServerFrameDecoder decoder = new ServerFrameDecoder(MAX);
    List<String> events = new ArrayList<>();
    for (int i = 0; i < input.length; i++) {
      ByteBuffer one = ByteBuffer.wrap(input, i, 1);
      decoder.decode(one, recorder(events));
      assertTrue(!one.hasRemaining(), "every byte consumed");
    }
    return events;
  }

  private static ServerFrameListener recorder(List<String> events) {
    return new ServerFrameListener() {
      @Override
      public void onText(byte[] text) {
        events.add("text " + new String(text, StandardCharsets.UTF_8));
      }

      @Override
      public void onPing(byte[] payload) {
        events.add("ping " + HexFormat.of().formatHex(payload));
      }

      @Override
      public void onPong(byte[] payload) {
        events.add("pong " + HexFormat.of().formatHex(payload));
      }

      @Override
      public void onClose(int code, String reason) {
        events.add("close " + code + " " + reason);
      }
    };
  }

  private static ByteBuffer wrap(String hex) {
    return ByteBuffer.wrap(hex(hex));
  }

  static byte[] hex(String spaced) {
    return HexFormat.of().parseHex(spaced.replace(" ", ""));
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
