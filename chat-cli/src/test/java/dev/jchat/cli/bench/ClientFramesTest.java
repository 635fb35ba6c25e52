package dev.jchat.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jchat.internal.websocket.FrameDecoder;
import dev.jchat.internal.websocket.FrameListener;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
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
  void pongEchoesThePingPayload() throws Exception {
    List<String> events = new ArrayList<>();
    new FrameDecoder(1024, true)
        .decode(ByteBuffer.wrap(frames.pong(new byte[] {1, 2, 3})), recorder(events));
    assertEquals(List.of("pong 010203"), events);
  }

  @Test
  void closeCarriesItsCode() throws Exception {
    List<String> events = new ArrayList<>();
    new FrameDecoder(1024, true).decode(ByteBuffer.wrap(frames.close(1000)), recorder(events));
    assertEquals(List.of("close 1000"), events);
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

  /** Decodes one frame as the server does (masked required) and returns its text. */
  private static String serverReads(byte[] frame) throws Exception {
    List<String> events = new ArrayList<>();
    FrameDecoder decoder = new FrameDecoder(65_536, true);
    decoder.decode(ByteBuffer.wrap(frame), recorder(events));
    assertEquals(1, events.size(), events.toString());
    assertTrue(events.get(0).startsWith("text "), events.get(0));
    return events.get(0).substring(5);
  }

  private static FrameListener recorder(List<String> events) {
    return new FrameListener() {
      @Override
      public void onText(byte[] utf8) {
        events.add("text " + new String(utf8, StandardCharsets.UTF_8));
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
        events.add("close " + code);
      }
    };
  }
}
