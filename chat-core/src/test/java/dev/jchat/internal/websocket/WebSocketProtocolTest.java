package dev.jchat.internal.websocket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class WebSocketProtocolTest {
  @Test
  void acceptKeyMatchesTheRfcExample() {
    // RFC 6455 section 1.3
    assertEquals(
        "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketProtocol.acceptKey("dGhlIHNhbXBsZSBub25jZQ=="));
  }

  @ParameterizedTest
  @ValueSource(
      ints = {
        1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000,
        4999
      })
  void peersMaySendTheseCloseCodes(int code) {
    assertTrue(WebSocketProtocol.isValidReceivedCloseCode(code));
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535})
  void peersMustNotSendTheseCloseCodes(int code) {
    assertFalse(WebSocketProtocol.isValidReceivedCloseCode(code));
  }

  @Test
  void toggleMaskMatchesTheRfcExample() {
    byte[] hello = Frames.utf8("Hello");
    WebSocketProtocol.toggleMask(hello, 0, 5, Frames.RFC_MASK, 0);
    assertArrayEquals(Frames.hex("7f 9f 4d 51 58"), hello);
  }

  @Test
  void toggleMaskAgreesWithTheBytewiseDefinitionAtEveryPhaseAndLength() {
    Random random = new Random(42);
    int key = 0xa1b2c3d4;
    byte[] keyBytes = {(byte) 0xa1, (byte) 0xb2, (byte) 0xc3, (byte) 0xd4};
    for (int length = 0; length <= 40; length++) {
      for (int phase = 0; phase < 8; phase++) {
        byte[] data = new byte[length + 3];
        random.nextBytes(data);
        byte[] expected = data.clone();
        for (int i = 0; i < length; i++) {
          expected[3 + i] ^= keyBytes[(phase + i) % 4];
        }
        WebSocketProtocol.toggleMask(data, 3, length, key, phase);
        assertArrayEquals(expected, data, "length " + length + ", phase " + phase);
      }
    }
  }
}
