package dev.jchat.it;

import static dev.jchat.it.RawWebSocket.BINARY;
import static dev.jchat.it.RawWebSocket.CLOSE;
import static dev.jchat.it.RawWebSocket.CONTINUATION;
import static dev.jchat.it.RawWebSocket.PING;
import static dev.jchat.it.RawWebSocket.TEXT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Frames no WebSocket library would send, over a plain socket after a good {@code hello}: each gets
 * the contract's close code (1002 protocol, 1003 binary, 1007 bad UTF-8, 1009 too big).
 */
class RawFrameTest {
  @RegisterExtension static final ChatServerExtension server = ChatServerExtension.create();

  private static final int LIMIT = 65_536;
  private static final byte[] ROOMS = bytes("{\"type\":\"rooms\"}");

  private RawWebSocket ws;

  @BeforeEach
  void signIn() throws IOException {
    ws = RawWebSocket.signIn(server.port(), server.newUser("raw").token());
  }

  @AfterEach
  void closeSocket() throws IOException {
    ws.close();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** A synchronisation point showing the socket is open and answering. */
  private void assertStillOpen() throws IOException {
    ws.sendFrame(true, 0, TEXT, ROOMS, true);
    ws.awaitJson("rooms");
  }

  @Test
  void aFragmentedTextMessageIsReassembled() throws IOException {
    ws.sendFrame(false, 0, TEXT, bytes("{\"type\""), true);
    ws.sendFrame(false, 0, CONTINUATION, bytes(":\"ro"), true);
    ws.sendFrame(true, 0, CONTINUATION, bytes("oms\"}"), true);
    ws.awaitJson("rooms");
  }

  @Test
  void aPingBetweenFragmentsIsAnsweredAndTheMessageStillCompletes() throws IOException {
    ws.sendFrame(false, 0, TEXT, bytes("{\"type\":"), true);
    assertArrayEquals(bytes("mid"), ws.ping(bytes("mid")));
    ws.sendFrame(true, 0, CONTINUATION, bytes("\"rooms\"}"), true);
    ws.awaitJson("rooms");
  }

  @Test
  void aPingIsAnsweredWithAPongCarryingTheSamePayload() throws IOException {
    assertArrayEquals(bytes("are you there"), ws.ping(bytes("are you there")));
    assertStillOpen();
  }

  @Test
  void aCloseFromTheClientIsEchoed() {
    ws.sendFrameIgnoringReset(true, 0, CLOSE, new byte[] {0x03, (byte) 0xE8}, true);
    assertEquals(1000, ws.awaitCloseCode());
  }

  @Test
  void aBinaryFrameClosesWith1003() {
    ws.sendFrameIgnoringReset(true, 0, BINARY, ROOMS, true);
    assertEquals(1003, ws.awaitCloseCode());
  }

  @Test
  void aBinaryFrameFollowedByMoreDataInTheSameWriteStillClosesWith1003() throws IOException {
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    both.write(RawWebSocket.encodeFrame(true, 0, BINARY, ROOMS, true));
    both.write(RawWebSocket.encodeFrame(true, 0, TEXT, new byte[60_000], true));
    ws.writeRawIgnoringReset(both.toByteArray());
    assertEquals(1003, ws.awaitCloseCode());
  }

  @Test
  void aPayloadOverTheLimitClosesWith1009() {
    ws.sendFrameIgnoringReset(true, 0, TEXT, new byte[LIMIT + 1], true);
    assertEquals(1009, ws.awaitCloseCode());
  }

  @Test
  void aFragmentedMessageOverTheLimitClosesWith1009() {
    byte[] half = new byte[LIMIT / 2 + 1];
    Arrays.fill(half, (byte) 'x');
    ws.sendFrameIgnoringReset(false, 0, TEXT, half, true);
    ws.sendFrameIgnoringReset(true, 0, CONTINUATION, half, true);
    assertEquals(1009, ws.awaitCloseCode());
  }

  @Test
  void aMessageOfExactlyTheLimitIsAcceptedAndJudgedOnItsContent() throws IOException {
    ws.sendText("{\"type\":\"join\",\"room\":\"general\"}");
    ws.awaitJson("joined");
    String head = "{\"type\":\"send\",\"room\":\"general\",\"ref\":\"big\",\"text\":\"";
    String tail = "\"}";
    String json = head + "x".repeat(LIMIT - head.length() - tail.length()) + tail;
    assertEquals(LIMIT, bytes(json).length);
    ws.sendFrame(true, 0, TEXT, bytes(json), true);
    JsonNode error = ws.awaitJson("error");
    assertEquals("bad_request", error.path("code").asText(), () -> "error: " + error);
    assertEquals("big", error.path("ref").asText(), () -> "error: " + error);
    assertStillOpen();
  }

  @Test
  void invalidUtf8ClosesWith1007() {
    // '{', then 0xC3 0x28: a two-byte lead followed by an ASCII byte, then '}'
    ws.sendFrameIgnoringReset(true, 0, TEXT, new byte[] {0x7B, (byte) 0xC3, 0x28, 0x7D}, true);
    assertEquals(1007, ws.awaitCloseCode());
  }

  @Test
  void anUnmaskedClientFrameClosesWith1002() {
    ws.sendFrameIgnoringReset(true, 0, TEXT, ROOMS, false);
    assertEquals(1002, ws.awaitCloseCode());
  }

  @ParameterizedTest(name = "RSV bits {0}")
  @ValueSource(ints = {4, 2, 1})
  void aFrameWithReservedBitsSetClosesWith1002(int rsv) {
    ws.sendFrameIgnoringReset(true, rsv, TEXT, ROOMS, true);
    assertEquals(1002, ws.awaitCloseCode());
  }

  @ParameterizedTest(name = "opcode {0}")
  @ValueSource(ints = {0x3, 0x7, 0xB, 0xF})
  void aFrameWithAReservedOpcodeClosesWith1002(int opcode) {
    ws.sendFrameIgnoringReset(true, 0, opcode, ROOMS, true);
    assertEquals(1002, ws.awaitCloseCode());
  }

  @Test
  void aFragmentedControlFrameClosesWith1002() {
    ws.sendFrameIgnoringReset(false, 0, PING, bytes("part"), true);
    assertEquals(1002, ws.awaitCloseCode());
  }

  @Test
  void aControlFrameOver125BytesClosesWith1002() {
    ws.sendFrameIgnoringReset(true, 0, PING, new byte[126], true);
    assertEquals(1002, ws.awaitCloseCode());
  }

  @Test
  void aContinuationWithoutAStartClosesWith1002() {
    ws.sendFrameIgnoringReset(true, 0, CONTINUATION, ROOMS, true);
    assertEquals(1002, ws.awaitCloseCode());
  }

  @Test
  void aNewTextFrameInsideAFragmentedMessageClosesWith1002() {
    ws.sendFrameIgnoringReset(false, 0, TEXT, bytes("{\"type\":"), true);
    ws.sendFrameIgnoringReset(true, 0, TEXT, ROOMS, true);
    assertEquals(1002, ws.awaitCloseCode());
  }

  @Test
  void nonJsonTextIsARecoverableBadRequest() throws IOException {
    ws.sendText("this is not json");
    assertEquals("bad_request", ws.awaitJson("error").path("code").asText());
    assertStillOpen();
  }

  @Test
  void jsonWithoutATypeIsARecoverableBadRequest() throws IOException {
    ws.sendText("{\"room\":\"general\",\"text\":\"typeless\"}");
    assertEquals("bad_request", ws.awaitJson("error").path("code").asText());
    assertStillOpen();
  }
}
