package dev.jchat.reliability;

import static dev.jchat.testing.RawWebSocket.BINARY;
import static dev.jchat.testing.RawWebSocket.CLOSE;
import static dev.jchat.testing.RawWebSocket.CONTINUATION;
import static dev.jchat.testing.RawWebSocket.FIN;
import static dev.jchat.testing.RawWebSocket.PING;
import static dev.jchat.testing.RawWebSocket.PONG;
import static dev.jchat.testing.RawWebSocket.TEXT;
import static dev.jchat.testing.RawWebSocket.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jchat.ChatServer;
import dev.jchat.testing.ChatServerExtension;
import dev.jchat.testing.RawWebSocket;
import dev.jchat.testing.Rest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 6455 as a server must apply it, over raw TCP: every frame a client must not send closes the
 * socket with the right code (and then the TCP connection), every legal way of sending a frame is
 * understood, and text that is no request is a recoverable {@code bad_request}. Each case is a
 * fresh socket, signed in first (its upgrade answer checked down to {@code Sec-WebSocket-Accept}),
 * so the violation is the only thing that can explain the close.
 */
final class Rfc6455ConformanceTest {
  private static final int PROTOCOL_ERROR = 1002;
  private static final int UNSUPPORTED_DATA = 1003;
  private static final int INVALID_PAYLOAD = 1007;
  private static final int TOO_BIG = 1009;
  private static final int MAX_MESSAGE = 65_536;

  @TempDir static Path dir;
  static ChatServer server;
  static String token;

  @BeforeAll
  static void start() {
    server = ChatServerExtension.start(dir.resolve("chat.db"), b -> b);
    token = new Rest(server.port()).signUp("carol", "carol-password");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static RawWebSocket signedIn() {
    return RawWebSocket.connect(server.port()).hello(token);
  }

  /** Sends the bytes and asserts the close code, then that the server ends the TCP connection. */
  private static void assertClosedWith(int code, byte[]... frames) {
    try (RawWebSocket ws = signedIn()) {
      for (byte[] f : frames) {
        ws.write(f);
      }
      assertEquals(code, ws.awaitCloseCode());
      assertTrue(ws.awaitEof(), "the server should close the TCP connection after its close frame");
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** A valid request padded with spaces (JSON whitespace) to exactly {@code size} bytes. */
  private static byte[] roomsRequestOfSize(int size) {
    byte[] json = utf8("{\"type\":\"rooms\"}");
    byte[] padded = new byte[size];
    Arrays.fill(padded, (byte) ' ');
    System.arraycopy(json, 0, padded, 0, json.length);
    return padded;
  }

  private static void assertRoomsAnswer(RawWebSocket ws) {
    JsonNode reply = ws.readJson();
    assertEquals("rooms", reply.get("type").asText(), reply.toString());
  }

  // ---- must reject ----

  @Test
  void unmaskedClientFrameIsAProtocolError() {
    assertClosedWith(PROTOCOL_ERROR, frame(FIN | TEXT, utf8("{\"type\":\"rooms\"}"), false, 7));
  }

  @ParameterizedTest(name = "reserved bit 0x{0}")
  @ValueSource(ints = {0x40, 0x20, 0x10, 0x70})
  void reservedBitsAreAProtocolError(int rsv) {
    assertClosedWith(PROTOCOL_ERROR, frame(FIN | rsv | TEXT, utf8("{\"type\":\"rooms\"}")));
  }

  @ParameterizedTest(name = "opcode 0x{0}")
  @ValueSource(ints = {0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF})
  void reservedOpcodesAreAProtocolError(int opcode) {
    assertClosedWith(PROTOCOL_ERROR, frame(FIN | opcode, utf8("x")));
  }

  @Test
  void controlFrameOver125BytesIsAProtocolError() {
    assertClosedWith(PROTOCOL_ERROR, frame(FIN | PING, new byte[126]));
  }

  @Test
  void fragmentedControlFrameIsAProtocolError() {
    assertClosedWith(PROTOCOL_ERROR, frame(PING, utf8("a")), frame(FIN | CONTINUATION, utf8("b")));
  }

  @Test
  void continuationWithoutAStartIsAProtocolError() {
    assertClosedWith(PROTOCOL_ERROR, frame(FIN | CONTINUATION, utf8("{\"type\":\"rooms\"}")));
  }

  @Test
  void newMessageInsideAFragmentedOneIsAProtocolError() {
    assertClosedWith(
        PROTOCOL_ERROR,
        frame(TEXT, utf8("{\"type\":")),
        frame(FIN | TEXT, utf8("{\"type\":\"rooms\"}")));
  }

  @Test
  void lengthWithTheMostSignificantBitSetIsAProtocolError() {
    assertClosedWith(PROTOCOL_ERROR, RawWebSocket.header(FIN | TEXT, Long.MIN_VALUE + 5));
  }

  @ParameterizedTest(name = "bytes {0}")
  @ValueSource(strings = {"C328", "C0AF", "EDA080", "F4908080", "FF", "80", "F880808080"})
  void invalidUtf8IsInvalidPayload(String hex) {
    byte[] bad = hex(hex);
    assertClosedWith(
        INVALID_PAYLOAD,
        frame(FIN | TEXT, concat(utf8("{\"type\":\"rooms\",\"x\":\""), bad, utf8("\"}"))));
  }

  @Test
  void invalidUtf8SplitAcrossFragmentsIsInvalidPayload() {
    // E2 82 starts a three-byte sequence; the next fragment's '(' cannot continue it
    assertClosedWith(
        INVALID_PAYLOAD,
        frame(TEXT, concat(utf8("{\"type\":\"rooms\",\"x\":\""), hex("E282"))),
        frame(FIN | CONTINUATION, utf8("(\"}")));
  }

  @Test
  void invalidUtf8IsRejectedBeforeTheMessageEnds() {
    // the bad fragment is not final: a server that waits for the end would hang here
    assertClosedWith(
        INVALID_PAYLOAD,
        frame(TEXT, utf8("{\"type\":\"rooms\",")),
        frame(CONTINUATION, concat(utf8("\"x\":\""), hex("C328"))));
  }

  @Test
  void messageEndingInsideACodePointIsInvalidPayload() {
    assertClosedWith(
        INVALID_PAYLOAD,
        frame(TEXT, utf8("{\"type\":\"rooms\",\"x\":\"")),
        frame(FIN | CONTINUATION, hex("E282")));
  }

  @Test
  void closeReasonThatIsNotUtf8IsInvalidPayload() {
    assertClosedWith(
        INVALID_PAYLOAD, frame(FIN | CLOSE, RawWebSocket.closePayload(1000, hex("C328"))));
  }

  @ParameterizedTest(name = "close code {0}")
  @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535})
  void closeCodesAPeerMayNotSendAreAProtocolError(int code) {
    assertClosedWith(
        PROTOCOL_ERROR, frame(FIN | CLOSE, RawWebSocket.closePayload(code, new byte[0])));
  }

  @Test
  void oneByteClosePayloadIsAProtocolError() {
    assertClosedWith(PROTOCOL_ERROR, frame(FIN | CLOSE, new byte[] {3}));
  }

  @Test
  void binaryFrameIsUnsupportedData() {
    assertClosedWith(UNSUPPORTED_DATA, frame(FIN | BINARY, utf8("{\"type\":\"rooms\"}")));
  }

  @Test
  void binaryFrameFollowedByMoreDataInTheSameWriteIsStillUnsupportedData() {
    try (RawWebSocket ws = signedIn()) {
      ws.writeIgnoringReset(
          concat(
              frame(FIN | BINARY, utf8("{\"type\":\"rooms\"}")),
              frame(FIN | TEXT, new byte[60_000])));
      assertEquals(UNSUPPORTED_DATA, ws.awaitCloseCode());
    }
  }

  @Test
  void fragmentedBinaryMessageIsUnsupportedData() {
    assertClosedWith(
        UNSUPPORTED_DATA, frame(BINARY, new byte[10]), frame(FIN | CONTINUATION, new byte[10]));
  }

  @Test
  void binaryFrameBeforeHelloIsUnsupportedData() {
    try (RawWebSocket ws = RawWebSocket.connect(server.port())) {
      ws.write(frame(FIN | BINARY, new byte[3]));
      assertEquals(UNSUPPORTED_DATA, ws.awaitCloseCode());
    }
  }

  @Test
  void messageOneByteOverTheLimitIsTooBig() {
    assertClosedWith(TOO_BIG, frame(FIN | TEXT, roomsRequestOfSize(MAX_MESSAGE + 1)));
  }

  @Test
  void oversizeMessageIsRefusedAtItsHeaderBeforeThePayloadArrives() {
    // only the header is sent: the close must not wait for 4 GiB that will never come
    assertClosedWith(TOO_BIG, RawWebSocket.header(FIN | TEXT, 4L << 30));
  }

  @Test
  void fragmentsThatTogetherPassTheLimitAreTooBig() {
    byte[] part = new byte[40_000];
    Arrays.fill(part, (byte) ' ');
    assertClosedWith(TOO_BIG, frame(TEXT, part), frame(CONTINUATION, part));
  }

  // ---- must accept ----

  @Test
  void frameSplitIntoSingleBytesIsUnderstood() {
    try (RawWebSocket ws = RawWebSocket.connect(server.port())) {
      byte[] hello = frame(FIN | TEXT, utf8("{\"type\":\"hello\",\"token\":\"" + token + "\"}"));
      ws.writeInPieces(hello, 1);
      assertEquals("welcome", ws.readJson().get("type").asText());
      ws.writeInPieces(frame(FIN | TEXT, roomsRequestOfSize(3000)), 7);
      assertRoomsAnswer(ws);
    }
  }

  @Test
  void manyFragmentsEachSplitAcrossWritesFormOneMessage() {
    try (RawWebSocket ws = signedIn()) {
      byte[] json = roomsRequestOfSize(1000);
      ByteArrayOutputStream frames = new ByteArrayOutputStream();
      for (int i = 0; i < json.length; i += 100) {
        boolean last = i + 100 >= json.length;
        int b0 = (last ? FIN : 0) | (i == 0 ? TEXT : CONTINUATION);
        frames.writeBytes(frame(b0, Arrays.copyOfRange(json, i, Math.min(json.length, i + 100))));
      }
      ws.writeInPieces(frames.toByteArray(), 13);
      assertRoomsAnswer(ws);
    }
  }

  @Test
  void emptyFragmentsAreFine() {
    try (RawWebSocket ws = signedIn()) {
      ws.write(frame(TEXT, new byte[0]));
      ws.write(frame(CONTINUATION, utf8("{\"type\":\"rooms\"}")));
      ws.write(frame(FIN | CONTINUATION, new byte[0]));
      assertRoomsAnswer(ws);
    }
  }

  @Test
  void multiByteCharacterSplitAcrossFragmentsIsValid() {
    try (RawWebSocket ws = signedIn()) {
      byte[] euro = utf8("\u20ac"); // E2 82 AC
      ws.write(frame(TEXT, concat(utf8("{\"type\":\"rooms\",\"x\":\""), Arrays.copyOf(euro, 1))));
      ws.write(frame(CONTINUATION, Arrays.copyOfRange(euro, 1, 2)));
      ws.write(frame(FIN | CONTINUATION, concat(Arrays.copyOfRange(euro, 2, 3), utf8("\"}"))));
      assertRoomsAnswer(ws);
    }
  }

  @Test
  void controlFramesBetweenFragmentsAreAnsweredAndTheMessageGoesOn() {
    try (RawWebSocket ws = signedIn()) {
      ws.write(frame(TEXT, utf8("{\"type\":")));
      ws.write(frame(FIN | PING, utf8("between")));
      ws.write(frame(FIN | PONG, utf8("unsolicited")));
      ws.write(frame(FIN | CONTINUATION, utf8("\"rooms\"}")));
      RawWebSocket.Frame pong = ws.read();
      assertEquals(PONG, pong.opcode());
      assertArrayEquals(utf8("between"), pong.payload());
      assertRoomsAnswer(ws);
    }
  }

  @Test
  void sixteenBitLengthIsUnderstood() {
    try (RawWebSocket ws = signedIn()) {
      ws.write(frame(FIN | TEXT, roomsRequestOfSize(300), true, 16));
      assertRoomsAnswer(ws);
      ws.write(frame(FIN | TEXT, roomsRequestOfSize(0xFFFF), true, 16));
      assertRoomsAnswer(ws);
    }
  }

  @Test
  void sixtyFourBitLengthUpToTheLimitIsUnderstood() {
    try (RawWebSocket ws = signedIn()) {
      // 65,536 bytes need the 64-bit form, and are exactly the largest message allowed
      ws.write(frame(FIN | TEXT, roomsRequestOfSize(MAX_MESSAGE), true, 64));
      assertRoomsAnswer(ws);
    }
  }

  @Test
  void fragmentsUpToExactlyTheLimitAreAccepted() {
    try (RawWebSocket ws = signedIn()) {
      byte[] json = roomsRequestOfSize(MAX_MESSAGE);
      ws.write(frame(TEXT, Arrays.copyOfRange(json, 0, 40_000)));
      ws.write(frame(FIN | CONTINUATION, Arrays.copyOfRange(json, 40_000, MAX_MESSAGE)));
      assertRoomsAnswer(ws);
    }
  }

  @Test
  void pingIsAnsweredWithTheSamePayloadAndTheSocketStaysOpen() {
    try (RawWebSocket ws = signedIn()) {
      byte[] payload = new byte[125];
      Arrays.fill(payload, (byte) 7);
      ws.write(frame(FIN | PING, payload));
      RawWebSocket.Frame pong = ws.read();
      assertEquals(PONG, pong.opcode());
      assertArrayEquals(payload, pong.payload());
      ws.sendText("{\"type\":\"rooms\"}");
      assertRoomsAnswer(ws);
    }
  }

  @Test
  void messageOfExactlyTheLimitIsAcceptedAndJudgedOnItsContent() {
    try (RawWebSocket ws = signedIn()) {
      ws.sendText("{\"type\":\"join\",\"room\":\"general\"}");
      ws.awaitJson("joined");
      String head = "{\"type\":\"send\",\"room\":\"general\",\"ref\":\"big\",\"text\":\"";
      String tail = "\"}";
      String json = head + "x".repeat(MAX_MESSAGE - head.length() - tail.length()) + tail;
      assertEquals(MAX_MESSAGE, utf8(json).length);
      ws.write(frame(FIN | TEXT, utf8(json)));
      JsonNode error = ws.awaitJson("error");
      assertEquals("bad_request", error.path("code").asText(), error::toString);
      assertEquals("big", error.path("ref").asText(), error::toString);
      ws.sendText("{\"type\":\"rooms\"}");
      ws.awaitJson("rooms");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"this is not json", "{\"room\":\"general\",\"text\":\"typeless\"}"})
  void textThatIsNoRequestIsARecoverableBadRequest(String text) {
    try (RawWebSocket ws = signedIn()) {
      ws.sendText(text);
      assertEquals("bad_request", ws.awaitJson("error").path("code").asText());
      ws.sendText("{\"type\":\"rooms\"}");
      assertRoomsAnswer(ws);
    }
  }

  @ParameterizedTest(name = "close code {0}")
  @ValueSource(ints = {1000, 1001, 1003, 1007, 1011, 3000, 4999})
  void validCloseIsEchoedAndTheConnectionEnds(int code) {
    try (RawWebSocket ws = signedIn()) {
      ws.write(frame(FIN | CLOSE, RawWebSocket.closePayload(code, utf8("bye \u20ac"))));
      assertEquals(code, ws.awaitCloseCode());
      assertTrue(ws.awaitEof());
    }
  }

  @Test
  void closeWithoutStatusIsAnsweredWithNormalClosure() {
    try (RawWebSocket ws = signedIn()) {
      ws.write(frame(FIN | CLOSE, new byte[0]));
      assertEquals(1000, ws.awaitCloseCode());
      assertTrue(ws.awaitEof());
    }
  }

  @Test
  void serverKeepsServingAfterEveryViolation() {
    assertClosedWith(PROTOCOL_ERROR, frame(FIN | TEXT, utf8("x"), false, 7));
    try (RawWebSocket ws = signedIn()) {
      ws.sendText("{\"type\":\"rooms\"}");
      assertRoomsAnswer(ws);
    }
  }

  static byte[] hex(String hex) {
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }
}
