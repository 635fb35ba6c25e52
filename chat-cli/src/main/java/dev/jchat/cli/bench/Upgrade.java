package dev.jchat.cli.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The client side of the WebSocket opening handshake (RFC 6455 section 4.1), as bytes in and out:
 * the upgrade request, and the check of the server's answer. Stateless; any thread.
 */
final class Upgrade {
  /** The longest response head accepted; a real 101 is a few hundred bytes. */
  static final int MAX_RESPONSE_HEAD = 8 * 1024;

  /** Appended to the client's key before hashing, so only a WebSocket server can answer. */
  private static final String ACCEPT_MAGIC = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private Upgrade() {}

  /** The GET request that asks {@code host} (with its port) to upgrade {@code path}. */
  static byte[] request(String host, String path, String key) {
    String request =
        "GET "
            + path
            + " HTTP/1.1\r\n"
            + "Host: "
            + host
            + "\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: "
            + key
            + "\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "\r\n";
    return request.getBytes(StandardCharsets.US_ASCII);
  }

  /** The index just past the blank line ending the head in {@code a[0, length)}, or -1. */
  static int headEnd(byte[] a, int length) {
    for (int i = 3; i < length; i++) {
      if (a[i] == '\n' && a[i - 1] == '\r' && a[i - 2] == '\n' && a[i - 3] == '\r') {
        return i + 1;
      }
    }
    return -1;
  }

  /**
   * Null when {@code head} (status line and headers) accepts the upgrade asked with {@code key};
   * otherwise a short failure reason: {@code upgrade_<status>}, {@code bad_response} or {@code
   * bad_accept}.
   */
  static String check(String head, String key) {
    ResponseHead parsed = ResponseHead.parse(head);
    if (parsed == null) {
      return "bad_response";
    }
    if (!parsed.status().equals("101")) {
      return "upgrade_" + parsed.status();
    }
    String accept = parsed.header("sec-websocket-accept");
    boolean upgrade = "websocket".equalsIgnoreCase(parsed.header("upgrade"));
    if (!upgrade) {
      return "bad_response";
    }
    return acceptKey(key).equals(accept) ? null : "bad_accept";
  }

  /** The {@code Sec-WebSocket-Accept} value answering {@code key} (RFC 6455 section 4.2.2). */
  static String acceptKey(String key) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      byte[] digest = sha1.digest((key + ACCEPT_MAGIC).getBytes(StandardCharsets.ISO_8859_1));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("Every Java platform must provide SHA-1.", e);
    }
  }
}
