package dev.jchat.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

final class UpgradeTest {
  // RFC 6455 section 1.3's example key and its accept value.
  private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
  private static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

  @Test
  void requestAsksForVersion13() {
    String request =
        new String(Upgrade.request("127.0.0.1:5200", "/ws", KEY), StandardCharsets.US_ASCII);
    assertEquals(
        "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:5200\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: "
            + KEY
            + "\r\n"
            + "Sec-WebSocket-Version: 13\r\n\r\n",
        request);
  }

  @Test
  void switchingProtocolsWithTheRightAcceptIsAccepted() {
    assertNull(
        Upgrade.check(
            "HTTP/1.1 101 Switching Protocols\r\nupgrade: WebSocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Accept:  "
                + ACCEPT
                + " ",
            KEY));
  }

  @Test
  void aWrongOrMissingAcceptIsRefused() {
    assertEquals(
        "bad_accept",
        Upgrade.check(
            "HTTP/1.1 101 OK\r\nUpgrade: websocket\r\n" + "Sec-WebSocket-Accept: x" + ACCEPT, KEY));
    assertEquals("bad_accept", Upgrade.check("HTTP/1.1 101 OK\r\nUpgrade: websocket", KEY));
  }

  @Test
  void otherStatusesNameTheStatus() {
    assertEquals("upgrade_404", Upgrade.check("HTTP/1.1 404 Not Found\r\nContent-Length: 0", KEY));
    assertEquals("upgrade_401", Upgrade.check("HTTP/1.1 401 Unauthorized", KEY));
    assertEquals("bad_response", Upgrade.check("SSH-2.0-OpenSSH", KEY));
    assertEquals(
        "bad_response", Upgrade.check("HTTP/1.1 101 OK\r\nSec-WebSocket-Accept: " + ACCEPT, KEY));
  }

  @Test
  void headEndIsFoundAfterTheBlankLine() {
    byte[] a =
        "HTTP/1.1 101 OK\r\nA: b\r\n\r\n\u0081\u0002hi".getBytes(StandardCharsets.ISO_8859_1);
    assertEquals(25, Upgrade.headEnd(a, a.length));
    assertEquals(-1, Upgrade.headEnd(a, 24));
  }
}
