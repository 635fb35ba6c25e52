package dev.jchat.internal.websocket;

import static dev.jchat.internal.websocket.Frames.assertFails;
import static dev.jchat.internal.websocket.Frames.assertFailure;
import static dev.jchat.internal.websocket.Frames.concat;
import static dev.jchat.internal.websocket.Frames.hex;
import static dev.jchat.internal.websocket.Frames.masked;
import static dev.jchat.internal.websocket.Frames.utf8;
import static dev.jchat.internal.websocket.WebSocketProtocol.CLOSE_INVALID_PAYLOAD;
import static dev.jchat.internal.websocket.WebSocketProtocol.CLOSE_MESSAGE_TOO_BIG;
import static dev.jchat.internal.websocket.WebSocketProtocol.CLOSE_PROTOCOL_ERROR;
import static dev.jchat.internal.websocket.WebSocketProtocol.CLOSE_UNSUPPORTED_DATA;
import static dev.jchat.internal.websocket.WebSocketProtocol.OPCODE_BINARY;
import static dev.jchat.internal.websocket.WebSocketProtocol.OPCODE_CLOSE;
import static dev.jchat.internal.websocket.WebSocketProtocol.OPCODE_CONTINUATION;
import static dev.jchat.internal.websocket.WebSocketProtocol.OPCODE_PING;
import static dev.jchat.internal.websocket.WebSocketProtocol.OPCODE_TEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every way a peer can break RFC 6455, and the close code and sentence each one earns. */
final class FrameDecoderErrorsTest {
  private static final Supplier<FrameDecoder> SERVER = () -> new FrameDecoder(65_536, true);
  private static final Supplier<FrameDecoder> CLIENT = () -> new FrameDecoder(65_536, false);

  // Frame header.

  @ParameterizedTest
  @ValueSource(ints = {0x40, 0x20, 0x10})
  void reservedBitsMustNotBeSet(int rsv) {
    byte[] frame = masked(OPCODE_TEXT, true, "Hello");
    frame[0] |= (byte) rsv;
    assertFails(SERVER, frame, CLOSE_PROTOCOL_ERROR, "Reserved bits must not be set.");
  }

  @ParameterizedTest
  @ValueSource(ints = {0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF})
  void reservedOpcodesAreRejected(int opcode) {
    assertFails(
        SERVER,
        masked(opcode, true, "x"),
        CLOSE_PROTOCOL_ERROR,
        String.format("Reserved opcode 0x%X.", opcode));
  }

  @Test
  void clientFramesMustBeMasked() {
    // FIN + text, no MASK bit, "Hello"
    assertFails(
        SERVER, hex("81 05 48 65 6c 6c 6f"), CLOSE_PROTOCOL_ERROR, "Client frames must be masked.");
  }

  @Test
  void serverFramesMustNotBeMasked() {
    assertFails(
        CLIENT,
        hex("81 85 37 fa 21 3d 7f 9f 4d 51 58"),
        CLOSE_PROTOCOL_ERROR,
        "Server frames must not be masked.");
  }

  @Test
  void sixtyFourBitLengthMustNotHaveItsMostSignificantBitSet() {
    // FIN + text, MASK + 127, then a length of 2^63
    assertFails(
        SERVER,
        hex("81 ff 80 00 00 00 00 00 00 00"),
        CLOSE_PROTOCOL_ERROR,
        "Frame length must not have the most significant bit set.");
  }

  // Control frames.

  @Test
  void controlFramesMustBeFinal() {
    assertFails(
        SERVER,
        masked(OPCODE_PING, false, "x"),
        CLOSE_PROTOCOL_ERROR,
        "Control frames must be final.");
  }

  @Test
  void controlFramePayloadMustNotExceed125Bytes() {
    // FIN + ping, MASK + 126 (16-bit length follows), length 126: fails before the length.
    assertFails(
        SERVER,
        hex("89 fe 00 7e"),
        CLOSE_PROTOCOL_ERROR,
        "Control frame payload must not exceed 125 bytes.");
    assertFails(
        SERVER,
        masked(OPCODE_PING, true, new byte[126]),
        CLOSE_PROTOCOL_ERROR,
        "Control frame payload must not exceed 125 bytes.");
  }

  @Test
  void closePayloadMustNotBeOneByte() {
    assertFails(
        SERVER,
        masked(OPCODE_CLOSE, true, hex("03")),
        CLOSE_PROTOCOL_ERROR,
        "Close frame payload must not be 1 byte.");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535})
  void closeCodeMustBeOneAPeerMaySend(int code) {
    byte[] payload = {(byte) (code >>> 8), (byte) code};
    assertFails(
        SERVER,
        masked(OPCODE_CLOSE, true, payload),
        CLOSE_PROTOCOL_ERROR,
        "Close code " + code + " is not allowed in a close frame.");
  }

  @Test
  void closeReasonMustBeValidUtf8() {
    // code 1000, reason "a" then a lone continuation byte
    assertFails(
        SERVER,
        masked(OPCODE_CLOSE, true, hex("03 e8 61 80")),
        CLOSE_INVALID_PAYLOAD,
        "Close reason is not valid UTF-8.");
  }

  // Fragmentation.

  @Test
  void continuationNeedsAMessageToContinue() {
    assertFails(
        SERVER,
        masked(OPCODE_CONTINUATION, true, "lo"),
        CLOSE_PROTOCOL_ERROR,
        "Continuation frame without a message to continue.");
    byte[] afterComplete =
        concat(masked(OPCODE_TEXT, true, "Hel"), masked(OPCODE_CONTINUATION, true, "lo"));
    assertFails(
        SERVER,
        afterComplete,
        CLOSE_PROTOCOL_ERROR,
        "Continuation frame without a message to continue.",
        "text Hel");
  }

  @Test
  void newMessageMustNotStartWhileAFragmentedOneIsInProgress() {
    byte[] input = concat(masked(OPCODE_TEXT, false, "Hel"), masked(OPCODE_TEXT, true, "lo"));
    assertFails(
        SERVER, input, CLOSE_PROTOCOL_ERROR, "Expected a continuation frame, got a new message.");
  }

  // Binary.

  @Test
  void binaryMessagesAreNotSupported() {
    // RFC 6455 section 5.7: 256 bytes of binary data in a single unmasked frame
    byte[] rfcBinary = concat(hex("82 7e 01 00"), new byte[256]);
    assertFails(CLIENT, rfcBinary, CLOSE_UNSUPPORTED_DATA, "Binary messages are not supported.");
    assertFails(
        SERVER,
        masked(OPCODE_BINARY, true, "x"),
        CLOSE_UNSUPPORTED_DATA,
        "Binary messages are not supported.");
    byte[] midMessage = concat(masked(OPCODE_TEXT, false, "Hel"), masked(OPCODE_BINARY, true, "x"));
    assertFails(SERVER, midMessage, CLOSE_UNSUPPORTED_DATA, "Binary messages are not supported.");
  }

  // Size limit.

  @Test
  void messageOverTheLimitFailsAtItsHeader() throws Exception {
    Supplier<FrameDecoder> small = () -> new FrameDecoder(10, true);
    assertFails(
        small,
        masked(OPCODE_TEXT, true, "0123456789X"),
        CLOSE_MESSAGE_TOO_BIG,
        "Message is longer than 10 bytes.");
    // Only the two header bytes: no masking key, no payload yet.
    WebSocketException e =
        assertThrows(
            WebSocketException.class,
            () -> small.get().decode(ByteBuffer.wrap(hex("81 8b")), new FrameRecorder()));
    assertFailure(CLOSE_MESSAGE_TOO_BIG, "Message is longer than 10 bytes.", e, "header only");
  }

  @Test
  void defaultLimitAllows65536BytesButNot65537() throws Exception {
    // FIN + text, MASK + 127, length 65537: fails as soon as the length is known.
    WebSocketException e =
        assertThrows(
            WebSocketException.class,
            () ->
                SERVER
                    .get()
                    .decode(
                        ByteBuffer.wrap(hex("81 ff 00 00 00 00 00 01 00 01")),
                        new FrameRecorder()));
    assertFailure(CLOSE_MESSAGE_TOO_BIG, "Message is longer than 65536 bytes.", e, "header only");
  }

  @Test
  void hugeSixtyFourBitLengthIsTooBigNotAnOverflow() {
    assertFails(
        SERVER,
        hex("81 ff 7f ff ff ff ff ff ff ff"),
        CLOSE_MESSAGE_TOO_BIG,
        "Message is longer than 65536 bytes.");
  }

  @Test
  void fragmentedMessageOverTheLimitFailsAtTheFragmentThatCrossesIt() {
    Supplier<FrameDecoder> small = () -> new FrameDecoder(10, true);
    byte[] input =
        concat(
            masked(OPCODE_TEXT, false, "01234"),
            masked(OPCODE_PING, true, ""),
            masked(OPCODE_CONTINUATION, false, "56789"),
            masked(OPCODE_CONTINUATION, true, "X"));
    assertFails(small, input, CLOSE_MESSAGE_TOO_BIG, "Message is longer than 10 bytes.", "ping ");
  }

  // UTF-8.

  @Test
  void textMustBeValidUtf8() {
    // "a", then ed a0 80, the surrogate U+D800
    assertFails(
        SERVER,
        masked(OPCODE_TEXT, true, hex("61 ed a0 80")),
        CLOSE_INVALID_PAYLOAD,
        "Text message is not valid UTF-8.");
  }

  @Test
  void textMustNotEndInsideACodePoint() {
    // the first two of the three bytes of "€"
    assertFails(
        SERVER,
        masked(OPCODE_TEXT, true, hex("61 e2 82")),
        CLOSE_INVALID_PAYLOAD,
        "Text message is not valid UTF-8.");
    byte[] fragmented =
        concat(masked(OPCODE_TEXT, false, hex("e2")), masked(OPCODE_CONTINUATION, true, hex("82")));
    assertFails(SERVER, fragmented, CLOSE_INVALID_PAYLOAD, "Text message is not valid UTF-8.");
  }

  @Test
  void invalidUtf8SplitAcrossFragmentsIsRejected() {
    // e0 80 would be an overlong; its bytes sit in different fragments.
    byte[] input =
        concat(
            masked(OPCODE_TEXT, false, hex("61 e0")),
            masked(OPCODE_CONTINUATION, true, hex("80 80")));
    assertFails(SERVER, input, CLOSE_INVALID_PAYLOAD, "Text message is not valid UTF-8.");
  }

  @Test
  void invalidUtf8FailsBeforeTheFrameIsComplete() throws Exception {
    byte[] frame = masked(OPCODE_TEXT, true, concat(utf8("ok "), hex("ff"), utf8(" and more")));
    // Header (2) + key (4) + "ok " + the bad byte: the rest never arrives.
    WebSocketException e =
        assertThrows(
            WebSocketException.class,
            () -> SERVER.get().decode(ByteBuffer.wrap(frame, 0, 10), new FrameRecorder()));
    assertFailure(CLOSE_INVALID_PAYLOAD, "Text message is not valid UTF-8.", e, "partial frame");
  }

  @Test
  void invalidUtf8FailsBeforeTheMessageIsComplete() throws Exception {
    // A non-final fragment with a surrogate: no need to wait for the rest of the message.
    byte[] fragment = masked(OPCODE_TEXT, false, hex("ed b0 80"));
    WebSocketException e =
        assertThrows(
            WebSocketException.class,
            () -> SERVER.get().decode(ByteBuffer.wrap(fragment), new FrameRecorder()));
    assertFailure(CLOSE_INVALID_PAYLOAD, "Text message is not valid UTF-8.", e, "first fragment");
  }

  // After a failure.

  @Test
  void failedDecoderRefusesMoreInput() {
    FrameDecoder decoder = SERVER.get();
    FrameRecorder recorder = new FrameRecorder();
    assertThrows(
        WebSocketException.class, () -> decoder.decode(ByteBuffer.wrap(hex("81 05")), recorder));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> decoder.decode(ByteBuffer.wrap(masked(OPCODE_TEXT, true, "x")), recorder));
    assertEquals("The decoder failed before; close the connection.", e.getMessage());
  }
}
