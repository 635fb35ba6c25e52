package dev.jchat.internal.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Bytes on the wire, written as text, and the ways a test feeds them to a parser. */
final class Wire {
  static final int MAX_HEAD = 16 * 1024;
  static final int MAX_BODY = 1024 * 1024;

  private Wire() {}

  static byte[] bytes(String wire) {
    return wire.getBytes(StandardCharsets.ISO_8859_1);
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  static HttpRequestParser productParser() {
    return new HttpRequestParser(MAX_HEAD, MAX_BODY);
  }

  /** A POST with the right Content-Length for {@code body}. */
  static String post(String target, String contentType, String body) {
    return "POST "
        + target
        + " HTTP/1.1\r\n"
        + "Host: localhost:5200\r\n"
        + "Content-Type: "
        + contentType
        + "\r\n"
        + "Content-Length: "
        + bytes(body).length
        + "\r\n"
        + "\r\n"
        + body;
  }

  /** Parses {@code wire}, which must hold exactly one complete request. */
  static HttpRequest parseOne(String wire) throws HttpParseException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes(wire));
    HttpRequest request = productParser().parse(buffer);
    assertEquals(0, buffer.remaining(), "bytes left after the request");
    return request;
  }

  static void assertSameRequest(HttpRequest expected, HttpRequest actual) {
    assertEquals(expected.method(), actual.method());
    assertEquals(expected.target(), actual.target());
    assertEquals(expected.path(), actual.path());
    assertEquals(expected.rawQuery(), actual.rawQuery());
    assertEquals(expected.version(), actual.version());
    assertEquals(expected.headers().toString(), actual.headers().toString());
    assertArrayEquals(expected.body(), actual.body());
  }
}
