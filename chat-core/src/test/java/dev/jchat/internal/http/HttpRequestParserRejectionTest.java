package dev.jchat.internal.http;

import static dev.jchat.internal.http.Wire.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests the parser refuses, each with its status and message. Limits here are small (a 128-byte
 * head, a 16-byte body) so the oversized cases stay readable.
 */
final class HttpRequestParserRejectionTest {
  private static final int MAX_HEAD = 128;
  private static final int MAX_BODY = 16;
  private static final String POST = "POST /x HTTP/1.1\r\nHost: h\r\n";
  private static final String CHUNKED = POST + "Transfer-Encoding: chunked\r\n\r\n";

  static Stream<Arguments> rejections() {
    return Stream.of(
        // The head and the body limits.
        rejection(
            431,
            "Request header section is larger than 128 bytes.",
            "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + "a".repeat(100) + "\r\n\r\n"),
        rejection(
            431,
            "Request header section is larger than 128 bytes.",
            "GET /" + "a".repeat(200) + " HTTP/1.1\r\nHost: h\r\n\r\n"),
        rejection(
            431,
            "Request header section is larger than 128 bytes.",
            "\r\n".repeat(64) + "GET / HTTP/1.1\r\nHost: h\r\n\r\n"),
        rejection(
            413, "Request body is larger than 16 bytes.", POST + "Content-Length: 17\r\n\r\n"),
        rejection(
            413,
            "Request body is larger than 16 bytes.",
            POST + "Content-Length: 99999999999999999999999\r\n\r\n"),
        rejection(413, "Request body is larger than 16 bytes.", CHUNKED + "8\r\n12345678\r\n9\r\n"),
        rejection(
            413, "Request body is larger than 16 bytes.", CHUNKED + "ffffffffffffffffffffffff\r\n"),
        rejection(
            431,
            "Trailer section is larger than 128 bytes.",
            CHUNKED + "0\r\nX-Trailer: " + "t".repeat(120) + "\r\n\r\n"),

        // Framing that two parsers could read differently.
        rejection(
            400,
            "Both Content-Length and Transfer-Encoding are present.",
            POST + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"),
        rejection(400, "Invalid Content-Length.", POST + "Content-Length: abc\r\n\r\n"),
        rejection(400, "Invalid Content-Length.", POST + "Content-Length: -1\r\n\r\n"),
        rejection(400, "Invalid Content-Length.", POST + "Content-Length: +5\r\n\r\n"),
        rejection(400, "Invalid Content-Length.", POST + "Content-Length: 5 5\r\n\r\n"),
        rejection(400, "Invalid Content-Length.", POST + "Content-Length:\r\n\r\n"),
        rejection(
            400,
            "Conflicting Content-Length values.",
            POST + "Content-Length: 5\r\nContent-Length: 6\r\n\r\n"),
        rejection(400, "Conflicting Content-Length values.", POST + "Content-Length: 5, 6\r\n\r\n"),
        rejection(
            400,
            "Transfer-Encoding must be chunked, once.",
            POST + "Transfer-Encoding: chunked, chunked\r\n\r\n"),
        rejection(
            400,
            "Transfer-Encoding in an HTTP/1.0 request.",
            "POST /x HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"),
        rejection(501, "Unsupported transfer coding.", POST + "Transfer-Encoding: gzip\r\n\r\n"),
        rejection(
            501, "Unsupported transfer coding.", POST + "Transfer-Encoding: gzip, chunked\r\n\r\n"),

        // Chunks.
        rejection(400, "Invalid chunk size.", CHUNKED + "zz\r\n"),
        rejection(400, "Invalid chunk size.", CHUNKED + "\r\n"),
        rejection(400, "Invalid chunk size.", CHUNKED + "-1\r\n"),
        rejection(400, "Invalid chunk size.", CHUNKED + "5 x\r\n"),
        rejection(400, "Invalid chunk size.", CHUNKED + "5;\u0001\r\n"),
        rejection(400, "Missing CRLF after chunk data.", CHUNKED + "3\r\nabcd\r\n"),
        rejection(400, "Missing CRLF after chunk data.", CHUNKED + "3\r\nabc\rX"),
        rejection(400, "Chunk size line is too long.", CHUNKED + "1;" + "e".repeat(130)),

        // Header fields.
        rejection(400, "Missing Host header.", "GET / HTTP/1.1\r\n\r\n"),
        rejection(
            400, "More than one Host header.", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
        rejection(
            400, "Whitespace between header name and colon.", "GET / HTTP/1.1\r\nHost : h\r\n\r\n"),
        rejection(
            400,
            "Whitespace between header name and colon.",
            "GET / HTTP/1.1\r\nHost: h\r\nX-A\t: 1\r\n\r\n"),
        rejection(
            400,
            "Header line starts with whitespace (obsolete line folding).",
            "GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n  2\r\n\r\n"),
        rejection(
            400,
            "Header line starts with whitespace (obsolete line folding).",
            "GET / HTTP/1.1\r\n\tHost: h\r\n\r\n"),
        rejection(400, "Header line has no colon.", "GET / HTTP/1.1\r\nHost h\r\n\r\n"),
        rejection(400, "Invalid header name.", "GET / HTTP/1.1\r\nHost: h\r\n: x\r\n\r\n"),
        rejection(400, "Invalid header name.", "GET / HTTP/1.1\r\nHost: h\r\nX-\u00e9: x\r\n\r\n"),
        rejection(400, "Invalid header name.", "GET / HTTP/1.1\r\nHost: h\r\nX(a): x\r\n\r\n"),
        rejection(
            400,
            "Invalid character in header value.",
            "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\u0000b\r\n\r\n"),
        rejection(
            400,
            "Invalid character in header value.",
            "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\rb\r\n\r\n"),

        // The request line.
        rejection(400, "Malformed request line.", "GET /\r\nHost: h\r\n\r\n"),
        rejection(400, "Malformed request line.", "GET  / HTTP/1.1\r\nHost: h\r\n\r\n"),
        rejection(400, "Malformed request line.", "GET / HTTP/1.1 \r\nHost: h\r\n\r\n"),
        rejection(400, "Malformed request line.", "GET\t/ HTTP/1.1\r\nHost: h\r\n\r\n"),
        rejection(400, "Malformed request line.", " GET / HTTP/1.1\r\nHost: h\r\n\r\n"),
        rejection(400, "Malformed request line.", "G@T / HTTP/1.1\r\nHost: h\r\n\r\n"),
        rejection(400, "Malformed request line.", "GET /caf\u00e9 HTTP/1.1\r\nHost: h\r\n\r\n"),
        rejection(400, "Malformed request line.", "GET /\u0001 HTTP/1.1\r\nHost: h\r\n\r\n"),
        rejection(400, "Malformed request line.", "GET / http/1.1\r\nHost: h\r\n\r\n"),
        rejection(400, "Malformed request line.", "GET / HTTP/1\r\nHost: h\r\n\r\n"),
        rejection(400, "Malformed request line.", "GET / HTTP/1.1\rHost: h\r\n\r\n"),
        rejection(400, "Invalid request target.", "GET api/health HTTP/1.1\r\nHost: h\r\n\r\n"),
        rejection(400, "Invalid request target.", "GET * HTTP/1.1\r\nHost: h\r\n\r\n"),
        rejection(400, "Invalid request target.", "GET /a#frag HTTP/1.1\r\nHost: h\r\n\r\n"),
        rejection(400, "Invalid request target.", "GET http:///a HTTP/1.1\r\nHost: h\r\n\r\n"),
        rejection(
            400,
            "Malformed percent-encoding in request target.",
            "GET /rooms/Room%2 HTTP/1.1\r\nHost: h\r\n\r\n"),
        rejection(
            400,
            "Malformed percent-encoding in request target.",
            "GET /rooms/%zz HTTP/1.1\r\nHost: h\r\n\r\n"),
        rejection(
            400,
            "Malformed percent-encoding in request target.",
            "GET /rooms/%FF HTTP/1.1\r\nHost: h\r\n\r\n"),
        rejection(
            400,
            "Malformed percent-encoding in request target.",
            "GET /m?before=%G1 HTTP/1.1\r\nHost: h\r\n\r\n"),
        rejection(505, "HTTP version not supported.", "GET / HTTP/2.0\r\nHost: h\r\n\r\n"),
        rejection(505, "HTTP version not supported.", "GET / HTTP/1.2\r\nHost: h\r\n\r\n"),
        rejection(505, "HTTP version not supported.", "GET / HTTP/0.9\r\nHost: h\r\n\r\n"));
  }

  private static Arguments rejection(int status, String message, String wire) {
    return Arguments.of(status, message, wire);
  }

  @ParameterizedTest(name = "{0} {1} <- {2}")
  @MethodSource("rejections")
  void refusesWithItsStatusAndMessage(int status, String message, String wire) {
    HttpParseException e =
        assertThrows(HttpParseException.class, () -> parser().parse(ByteBuffer.wrap(bytes(wire))));

    assertEquals(status, e.status());
    assertEquals(message, e.getMessage());
  }

  @ParameterizedTest(name = "{0} {1} <- {2}")
  @MethodSource("rejections")
  void refusesTheSameWayWhenBytesArriveOneAtATime(int status, String message, String wire) {
    HttpRequestParser parser = parser();
    ByteBuffer buffer = ByteBuffer.wrap(bytes(wire));

    HttpParseException e =
        assertThrows(
            HttpParseException.class,
            () -> {
              for (int end = 0; end <= buffer.capacity(); end++) {
                buffer.limit(end);
                assertNull(parser.parse(buffer), "accepted a request from " + end + " bytes");
              }
            });

    assertEquals(status, e.status());
    assertEquals(message, e.getMessage());
  }

  @Test
  void anOversizedHeadIsRefusedAtTheLimitWithoutWaitingForItsEnd() throws Exception {
    byte[] endless = bytes("GET / HTTP/1.1\r\nHost: h\r\nX-Endless: " + "a".repeat(200));
    HttpRequestParser parser = parser();
    ByteBuffer buffer = ByteBuffer.wrap(endless);

    buffer.limit(MAX_HEAD - 1);
    assertNull(parser.parse(buffer));
    buffer.limit(MAX_HEAD);
    HttpParseException e = assertThrows(HttpParseException.class, () -> parser.parse(buffer));
    assertEquals(431, e.status());
  }

  @Test
  void anOversizedContentLengthIsRefusedBeforeAnyBodyArrives() {
    ByteBuffer headOnly = ByteBuffer.wrap(bytes(POST + "Content-Length: 1048577\r\n\r\n"));

    HttpParseException e =
        assertThrows(HttpParseException.class, () -> Wire.productParser().parse(headOnly));

    assertEquals(413, e.status());
    assertEquals("Request body is larger than 1048576 bytes.", e.getMessage());
  }

  @Test
  void anOversizedChunkIsRefusedBeforeItsDataArrives() throws Exception {
    HttpRequestParser parser = parser();
    ByteBuffer buffer = ByteBuffer.wrap(bytes(CHUNKED + "10\r\n0123456789abcdef\r\n1\r\n"));

    buffer.limit(buffer.capacity() - 5);
    assertNull(parser.parse(buffer));
    buffer.limit(buffer.capacity());
    assertEquals(413, assertThrows(HttpParseException.class, () -> parser.parse(buffer)).status());
  }

  private static HttpRequestParser parser() {
    return new HttpRequestParser(MAX_HEAD, MAX_BODY);
  }
}
