package dev.jchat.internal.websocket;

import static dev.jchat.internal.websocket.Frames.ascii;
import static dev.jchat.internal.websocket.Frames.assertDecodes;
import static dev.jchat.internal.websocket.Frames.concat;
import static dev.jchat.internal.websocket.Frames.decode;
import static dev.jchat.internal.websocket.Frames.hex;
import static dev.jchat.internal.websocket.Frames.masked;
import static dev.jchat.internal.websocket.Frames.utf8;
import static dev.jchat.internal.websocket.WebSocketProtocol.OPCODE_CLOSE;
import static dev.jchat.internal.websocket.WebSocketProtocol.OPCODE_CONTINUATION;
import static dev.jchat.internal.websocket.WebSocketProtocol.OPCODE_PING;
import static dev.jchat.internal.websocket.WebSocketProtocol.OPCODE_PONG;
import static dev.jchat.internal.websocket.WebSocketProtocol.OPCODE_TEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** What a decoder delivers for valid input, however the input is cut. */
final class FrameDecoderTest {
  private static final int MAX = 65_536;
  private static final Supplier<FrameDecoder> SERVER = () -> new FrameDecoder(MAX, true);
  private static final Supplier<FrameDecoder> CLIENT = () -> new FrameDecoder(MAX, false);

  // RFC 6455 section 5.7.

  @Test
  void singleFrameUnmaskedText() throws Exception {
    // FIN + text, length 5, "Hello"
    assertDecodes(CLIENT, hex("81 05 48 65 6c 6c 6f"), "text Hello");
  }

  @Test
  void singleFrameMaskedText() throws Exception {
    // FIN + text, MASK + length 5, key 37fa213d, "Hello" masked
    assertDecodes(SERVER, hex("81 85 37 fa 21 3d 7f 9f 4d 51 58"), "text Hello");
  }

  @Test
  void fragmentedUnmaskedText() throws Exception {
    // text without FIN "Hel", then FIN + continuation "lo"
    assertDecodes(CLIENT, hex("01 03 48 65 6c  80 02 6c 6f"), "text Hello");
  }

  @Test
  void unmaskedPingAndMaskedPong() throws Exception {
    assertDecodes(CLIENT, hex("89 05 48 65 6c 6c 6f"), "ping 48656c6c6f");
    assertDecodes(SERVER, hex("8a 85 37 fa 21 3d 7f 9f 4d 51 58"), "pong 48656c6c6f");
  }

  @Test
  void sixteenBitLength() throws Exception {
    // FIN + text, length 126 = "16 bits follow", 0x0100 = 256
    String text = ascii(256);
    assertDecodes(CLIENT, concat(hex("81 7e 01 00"), utf8(text)), FrameRecorder.text(text));
  }

  @Test
  void sixtyFourBitLength() throws Exception {
    // FIN + text, length 127 = "64 bits follow", 0x10000 = 65536, which is exactly the limit
    String text = ascii(65_536);
    byte[] frame = concat(hex("81 7f 00 00 00 00 00 01 00 00"), utf8(text));
    assertDecodes(CLIENT, frame, FrameRecorder.text(text));
  }

  @Test
  void maskedSixtyFourBitLength() throws Exception {
    String text = ascii(65_536);
    byte[] frame = masked(OPCODE_TEXT, true, text);
    assertEquals(10 + 4 + 65_536, frame.length);
    assertEquals(List.of(FrameRecorder.text(text)), decode(SERVER.get(), frame));
  }

  // Messages.

  @Test
  void multiByteTextAtEveryMaskPhaseAndCut() throws Exception {
    // Long enough for the eight-bytes-at-a-time paths, cut everywhere: every mask phase, and
    // code points split across reads.
    String text = "héllo wörld € 𝄞 ".repeat(12);
    assertDecodes(SERVER, masked(OPCODE_TEXT, true, text), FrameRecorder.text(text));
  }

  @Test
  void emptyTextMessage() throws Exception {
    assertDecodes(SERVER, masked(OPCODE_TEXT, true, ""), "text ");
  }

  @Test
  void emptyFragmentsAreAllowed() throws Exception {
    byte[] input =
        concat(
            masked(OPCODE_TEXT, false, ""),
            masked(OPCODE_CONTINUATION, false, "Hi"),
            masked(OPCODE_CONTINUATION, true, ""));
    assertDecodes(SERVER, input, "text Hi");
  }

  @Test
  void consecutiveMessagesAreDeliveredInOrder() throws Exception {
    byte[] input =
        concat(
            masked(OPCODE_TEXT, true, "one"),
            masked(OPCODE_TEXT, false, "t"),
            masked(OPCODE_CONTINUATION, true, "wo"),
            masked(OPCODE_TEXT, true, "three"));
    assertDecodes(SERVER, input, "text one", "text two", "text three");
  }

  @Test
  void manySmallFragmentsAreReassembled() throws Exception {
    String text = ascii(2_000);
    List<byte[]> frames = new ArrayList<>();
    frames.add(masked(OPCODE_TEXT, false, text.substring(0, 1)));
    for (int i = 1; i < text.length(); i++) {
      frames.add(masked(OPCODE_CONTINUATION, i == text.length() - 1, text.substring(i, i + 1)));
    }
    byte[] input = concat(frames.toArray(byte[][]::new));
    assertEquals(List.of(FrameRecorder.text(text)), decode(SERVER.get(), input));
  }

  @Test
  void codePointsSplitAcrossFragmentsAreValid() throws Exception {
    // "€" is e2 82 ac and "𝄞" is f0 9d 84 9e; each is cut between three fragments.
    byte[] input =
        concat(
            masked(OPCODE_TEXT, false, hex("e2")),
            masked(OPCODE_CONTINUATION, false, hex("82")),
            masked(OPCODE_CONTINUATION, false, hex("ac f0 9d")),
            masked(OPCODE_CONTINUATION, true, hex("84 9e")));
    assertDecodes(SERVER, input, "text €𝄞");
  }

  // Control frames.

  @Test
  void controlFramesBetweenFragmentsAreDeliveredImmediately() throws Exception {
    byte[] first = masked(OPCODE_TEXT, false, "Hel");
    byte[] ping = masked(OPCODE_PING, true, "?");
    byte[] rest =
        concat(
            masked(OPCODE_CONTINUATION, false, "l"),
            masked(OPCODE_PONG, true, ""),
            masked(OPCODE_CONTINUATION, true, "o"));
    assertDecodes(SERVER, concat(first, ping, rest), "ping 3f", "pong ", "text Hello");

    FrameDecoder decoder = SERVER.get();
    assertEquals(List.of("ping 3f"), decode(decoder, concat(first, ping)));
    assertEquals(List.of("pong ", "text Hello"), decode(decoder, rest));
  }

  @Test
  void controlPayloadMayBe125Bytes() throws Exception {
    byte[] payload = utf8(ascii(125));
    String hex = HexFormat.of().formatHex(payload);
    assertDecodes(SERVER, masked(OPCODE_PING, true, payload), "ping " + hex);
  }

  @Test
  void closeWithCodeAndReason() throws Exception {
    assertDecodes(
        SERVER,
        masked(OPCODE_CLOSE, true, concat(hex("03 e8"), utf8("bye ✓"))),
        "close 1000 bye ✓");
  }

  @Test
  void closeWithCodeOnly() throws Exception {
    assertDecodes(SERVER, masked(OPCODE_CLOSE, true, hex("0f a0")), "close 4000 ");
  }

  @Test
  void closeWithoutBodyReportsNoStatus() throws Exception {
    assertDecodes(SERVER, masked(OPCODE_CLOSE, true, new byte[0]), "close 1005 ");
  }

  @Test
  void closeBetweenFragmentsIsDelivered() throws Exception {
    byte[] input =
        concat(
            masked(OPCODE_TEXT, false, "Hel"),
            masked(OPCODE_CLOSE, true, hex("03 e9")),
            masked(OPCODE_CONTINUATION, true, "lo"));
    assertDecodes(SERVER, input, "close 1001 ");
  }

  @Test
  void inputAfterCloseIsConsumedAndIgnored() throws Exception {
    FrameDecoder decoder = SERVER.get();
    assertFalse(decoder.closed());
    // The close frame, then a text frame and bytes that would be a protocol error.
    byte[] input =
        concat(
            masked(OPCODE_CLOSE, true, hex("03 e8")),
            masked(OPCODE_TEXT, true, "late"),
            hex("ff ff ff"));
    assertEquals(List.of("close 1000 "), decode(decoder, input));
    assertTrue(decoder.closed());
    assertEquals(List.of(), decode(decoder, hex("ff 00 81 85")));
    assertTrue(decoder.closed());
  }

  // Buffers and modes.

  @Test
  void decodesFromDirectAndLittleEndianBuffers() throws Exception {
    byte[] frame = masked(OPCODE_TEXT, true, "héllo wörld, long enough for words");
    ByteBuffer direct = ByteBuffer.allocateDirect(frame.length + 3).order(ByteOrder.LITTLE_ENDIAN);
    direct.put(hex("aa bb cc")).put(frame).flip().position(3);
    FrameRecorder recorder = new FrameRecorder();
    SERVER.get().decode(direct, recorder);
    assertEquals(List.of("text héllo wörld, long enough for words"), recorder.events);
    assertFalse(direct.hasRemaining());
  }

  @Test
  void clientDecodesUnmaskedServerFrames() throws Exception {
    byte[] input =
        concat(
            FrameEncoder.text(utf8("welcome")),
            FrameEncoder.ping(utf8("p")),
            FrameEncoder.close(1001, "going"));
    assertDecodes(CLIENT, input, "text welcome", "ping 70", "close 1001 going");
  }

  @Test
  void messageOfExactlyTheLimitIsAllowed() throws Exception {
    Supplier<FrameDecoder> small = () -> new FrameDecoder(10, true);
    assertDecodes(small, masked(OPCODE_TEXT, true, "0123456789"), "text 0123456789");
    byte[] fragmented =
        concat(
            masked(OPCODE_TEXT, false, "0123"),
            masked(OPCODE_PING, true, ""),
            masked(OPCODE_CONTINUATION, true, "456789"));
    assertDecodes(small, fragmented, "ping ", "text 0123456789");
  }

  @Test
  void limitAppliesPerMessage() throws Exception {
    Supplier<FrameDecoder> small = () -> new FrameDecoder(4, true);
    byte[] input =
        concat(
            masked(OPCODE_TEXT, false, "ab"),
            masked(OPCODE_CONTINUATION, true, "cd"),
            masked(OPCODE_TEXT, true, "efgh"));
    assertDecodes(small, input, "text abcd", "text efgh");
  }
}
