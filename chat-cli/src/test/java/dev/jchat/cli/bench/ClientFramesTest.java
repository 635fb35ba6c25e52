package dev.jchat.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The frames a bench client sends, read back the way a server reads them. */
final class ClientFramesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ClientFrames frames = new ClientFrames(new String[] {"bench-0", "bench-1"}, 64, 1);

  @Test
  void sendIsAMaskedTextFrameWhoseTextHasThePayloadSize() throws Exception {
    JsonNode send = JSON.readTree(serverReads(frames.send(1, 1_234_567_890L, 17)));
    assertEquals("send", send.get("type").asText());
    assertEquals("bench-1", send.get("room").asText());
    String text = send.get("text").asText();
    assertEquals(64, text.length());
    assertTrue(text.startsWith("t=1234567890 c=17 xxx"), text);
  }

  @Test
  void withRefsEverySendCarriesItsOwn() throws Exception {
    ClientFrames withRefs = new ClientFrames(new String[] {"bench-0"}, 64, 1, true);
    JsonNode first = JSON.readTree(serverReads(withRefs.send(0, 5, 17)));
    JsonNode second = JSON.readTree(serverReads(withRefs.send(0, 5, 17)));
    assertEquals("c17-1", first.get("ref").asText());
    assertEquals("c17-2", second.get("ref").asText());
    assertEquals(64, first.get("text").asText().length());
    assertFalse(
        JSON.readTree(serverReads(frames.send(0, 5, 17))).has("ref"), "no refs unless asked");
  }

  @Test
  void stampAndSenderSurviveTheRoundTrip() throws Exception {
    String text =
        JSON.readTree(serverReads(frames.send(0, 987_654_321_012L, 4321))).get("text").asText();
    // What a server would deliver, with the text copied as it came.
    byte[] message =
        ("{\"type\":\"message\",\"room\":\"bench-0\",\"seq\":1,\"from\":\"u\",\"text\":"
                + ClientFrames.quote(text)
                + ",\"ts\":1}")
            .getBytes(StandardCharsets.UTF_8);
    assertEquals(987_654_321_012L, FrameScanner.stamp(message));
    assertEquals(4321, FrameScanner.sender(message));
  }

  @Test
  void aStampLongerThanThePayloadIsSentWhole() throws Exception {
    ClientFrames tiny = new ClientFrames(new String[] {"r"}, 4, 1);
    String text = JSON.readTree(serverReads(tiny.send(0, 0, 123))).get("text").asText();
    assertEquals("t=0 c=123", text);
  }

  @Test
  void theTextNeverEndsInASpaceThatAServerWouldTrim() throws Exception {
    ClientFrames oneShort = new ClientFrames(new String[] {"r"}, 10, 1);
    String text = JSON.readTree(serverReads(oneShort.send(0, 0, 123))).get("text").asText();
    assertEquals("t=0 c=123x", text);
    byte[] message =
        ("{\"type\":\"message\",\"text\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8);
    assertEquals(123, FrameScanner.sender(message));
  }

  @Test
  void everyFrameHasItsOwnMask() {
    byte[] a = frames.send(0, 5, 5);
    byte[] b = frames.send(0, 5, 5);
    assertEquals(a.length, b.length);
    assertFalse(Arrays.equals(a, b), "same payload, different keys");
  }

  @Test
  void helloAndJoinQuoteTheirStrings() throws Exception {
    JsonNode hello = JSON.readTree(serverReads(frames.hello("to\"ken\\")));
    assertEquals("hello", hello.get("type").asText());
    assertEquals("to\"ken\\", hello.get("token").asText());
    JsonNode join = JSON.readTree(serverReads(frames.join("Room 1")));
    assertEquals("join", join.get("type").asText());
    assertEquals("Room 1", join.get("room").asText());
  }

  @Test
  void pongEchoesThePingPayload() {
    assertEquals("pong 010203", serverSees(frames.pong(new byte[] {1, 2, 3})));
  }

  @Test
  void closeCarriesItsCode() {
    assertEquals("close 1000", serverSees(frames.close(1000)));
  }

  @Test
  void handshakeKeysAreSixteenRandomBytes() {
    String a = frames.handshakeKey();
    assertEquals(16, Base64.getDecoder().decode(a).length);
    assertNotEquals(a, frames.handshakeKey());
  }

  @Test
  void quoteEscapesQuotesBackslashesAndControlCharacters() {
    assertEquals("\"a\\u000ab\\\"\\\\\"", ClientFrames.quote("a\nb\"\\"));
  }

  /** Reads one frame as a server does (final and masked required) and returns its text. */
  private static String serverReads(byte[] frame) {
    String seen = serverSees(frame);
    assertTrue(seen.startsWith("text "), seen);
    return seen.substring(5);
  }

  /**
   * One whole final masked frame, unmasked: {@code text <utf-8>}, {@code pong <hex>} or {@code
   * close <code>}. The encoder's bytes are checked in MaskedFrameEncoderTest; this reads them back.
   */
  private static String serverSees(byte[] frame) {
    assertEquals(0x80, frame[0] & 0xF0, "final, no reserved bits");
    assertEquals(0x80, frame[1] & 0x80, "masked");
    int length = frame[1] & 0x7F;
    int at = 2;
    if (length == 126) {
      length = ((frame[2] & 0xFF) << 8) | (frame[3] & 0xFF);
      at = 4;
    }
    assertTrue(length < 127, "a test frame under 64 KiB");
    byte[] payload = new byte[length];
    for (int i = 0; i < length; i++) {
      payload[i] = (byte) (frame[at + 4 + i] ^ frame[at + (i & 3)]);
    }
    assertEquals(at + 4 + length, frame.length, "one whole frame");
    switch (frame[0] & 0x0F) {
      case 0x1:
        return "text " + new String(payload, StandardCharsets.UTF_8);
      case 0xA:
        return "pong " + HexFormat.of().formatHex(payload);
      case 0x8:
        return "close " + (((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF));
      default:
        throw new AssertionError("unexpected opcode in " + HexFormat.of().formatHex(frame));
    }
  }
}
