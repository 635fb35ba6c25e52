package dev.jchat.internal.http;

import static dev.jchat.internal.http.Wire.assertSameRequest;
import static dev.jchat.internal.http.Wire.bytes;
import static dev.jchat.internal.http.Wire.parseOne;
import static dev.jchat.internal.http.Wire.post;
import static dev.jchat.internal.http.Wire.productParser;
import static dev.jchat.internal.http.Wire.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Requests the parser accepts, however their bytes arrive. Rejections: the sibling test. */
final class HttpRequestParserTest {
  private static final String GET_HEALTH =
      "GET /api/health HTTP/1.1\r\nHost: localhost:5200\r\nAccept: */*\r\n\r\n";
  private static final String LOGIN_JSON = "{\"userId\":\"alice\",\"password\":\"secret12\"}";
  private static final String CHUNKED =
      "POST /api/rooms HTTP/1.1\r\n"
          + "Host: localhost\r\n"
          + "Transfer-Encoding: chunked\r\n"
          + "\r\n"
          + "5;name=value\r\n" // extension: ignored
          + "hello\r\n"
          + "7 ; a=b;c\r\n" // whitespace before the extensions
          + ", world\r\n"
          + "0\r\n"
          + "X-Checksum: abc\r\n" // trailers: dropped
          + "X-Other: 1\r\n"
          + "\r\n";

  /** Every request the parser must accept; each is fed every way below. */
  static Stream<Arguments> validRequests() {
    return Stream.of(
        Arguments.of("GET without body", GET_HEALTH),
        Arguments.of("POST with JSON", post("/api/sessions", "application/json", LOGIN_JSON)),
        Arguments.of("chunked with extensions and trailers", CHUNKED),
        Arguments.of(
            "chunked with bare LF and upper-case hex",
            "POST /x HTTP/1.1\nHost: h\nTransfer-Encoding: Chunked\n\nA\nabcdefghij\n0\n\n"),
        Arguments.of(
            "empty chunked body",
            "POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        Arguments.of(
            "Content-Length 0", "POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n"),
        Arguments.of("bare LF line endings", "GET / HTTP/1.1\nHost: h\n\n"),
        Arguments.of(
            "empty lines before the request line", "\r\n\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n"),
        Arguments.of("HTTP/1.0 without Host", "GET /index.html HTTP/1.0\r\n\r\n"),
        Arguments.of(
            "absolute-form target",
            "GET http://example.com:5200/api/rooms?limit=5 HTTP/1.1\r\nHost: example.com\r\n\r\n"),
        Arguments.of("OPTIONS *", "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n"),
        Arguments.of(
            "WebSocket upgrade",
            "GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n"));
  }

  @Test
  void getWithoutBody() throws Exception {
    HttpRequest request = parseOne(GET_HEALTH);

    assertEquals("GET", request.method());
    assertEquals("/api/health", request.target());
    assertEquals("/api/health", request.path());
    assertEquals("", request.rawQuery());
    assertEquals("HTTP/1.1", request.version());
    assertEquals("localhost:5200", request.header("host"));
    assertEquals("*/*", request.header("ACCEPT"));
    assertEquals(2, request.headers().size());
    assertArrayEquals(new byte[0], request.body());
    assertEquals(List.of("api", "health"), request.pathSegments());
  }

  @Test
  void postWithContentLengthCarriesItsJsonBody() throws Exception {
    HttpRequest request = parseOne(post("/api/sessions", "application/json", LOGIN_JSON));

    assertEquals("POST", request.method());
    assertEquals("application/json", request.header("Content-Type"));
    assertEquals(LOGIN_JSON, text(request.body()));
  }

  @Test
  void chunkedBodyIsDecodedIgnoringExtensionsAndDroppingTrailers() throws Exception {
    HttpRequest request = parseOne(CHUNKED);

    assertEquals("hello, world", text(request.body()));
    assertNull(request.header("X-Checksum"));
    assertEquals("chunked", request.header("Transfer-Encoding"));
  }

  @Test
  void headerValuesLoseTheirSurroundingWhitespaceAndKeepTheirOrder() throws Exception {
    HttpRequest request =
        parseOne("GET / HTTP/1.1\r\nHost:h\r\nX-A: \t one \t\r\nx-a: two\r\nX-Empty:\r\n\r\n");

    assertEquals("h", request.header("Host"));
    assertEquals(List.of("one", "two"), request.headers().all("X-A"));
    assertEquals("", request.header("X-Empty"));
    assertEquals("x-a", request.headers().name(2));
  }

  @Test
  void headerValuesAreReadAsIso88591() throws Exception {
    HttpRequest request = parseOne("GET / HTTP/1.1\r\nHost: h\r\nX-Name: caf\u00e9\r\n\r\n");

    assertEquals("caf\u00e9", request.header("X-Name"));
  }

  @Test
  void absoluteFormTargetIsReducedToItsPathAndQuery() throws Exception {
    HttpRequest request =
        parseOne("GET HTTP://example.com:5200?limit=5 HTTP/1.1\r\nHost: example.com\r\n\r\n");

    assertEquals("HTTP://example.com:5200?limit=5", request.target());
    assertEquals("/", request.path());
    assertEquals("limit=5", request.rawQuery());
  }

  @Test
  void repeatedIdenticalContentLengthsAreOneLength() throws Exception {
    HttpRequest request =
        parseOne(
            "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3, 3\r\nContent-Length: 003\r\n\r\nabc");

    assertEquals("abc", text(request.body()));
  }

  @Test
  void headExactlyAtTheLimitIsAccepted() throws Exception {
    String head = "GET / HTTP/1.1\r\nHost: h\r\n\r\n";
    HttpRequestParser parser = new HttpRequestParser(head.length(), 0);

    assertNotNull(parser.parse(ByteBuffer.wrap(bytes(head))));
  }

  @Test
  void bodyExactlyAtTheLimitIsAccepted() throws Exception {
    HttpRequestParser parser = new HttpRequestParser(1024, 5);

    assertEquals(
        "hello",
        text(
            parser
                .parse(
                    ByteBuffer.wrap(
                        bytes("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello")))
                .body()));
    assertEquals(
        "hello",
        text(
            parser
                .parse(
                    ByteBuffer.wrap(
                        bytes(
                            "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                                + "2\r\nhe\r\n3\r\nllo\r\n0\r\n\r\n")))
                .body()));
  }

  @Test
  void twoPipelinedRequestsComeOutOneByOne() throws Exception {
    ByteBuffer buffer = ByteBuffer.wrap(bytes(GET_HEALTH + "GET /b HTTP/1.1\r\nHost: h\r\n\r\n"));
    HttpRequestParser parser = productParser();

    assertEquals("/api/health", parser.parse(buffer).path());
    assertEquals(GET_HEALTH.length(), buffer.position());
    assertEquals("/b", parser.parse(buffer).path());
    assertEquals(0, buffer.remaining());
    assertNull(parser.parse(buffer));
  }

  @Test
  void threePipelinedRequestsWithBodiesLeaveEachOthersBytesAlone() throws Exception {
    String json = post("/api/users", "application/json", "{\"userId\":\"bob\"}");
    ByteBuffer buffer = ByteBuffer.wrap(bytes(json + CHUNKED + GET_HEALTH + "GET /partial"));
    HttpRequestParser parser = productParser();

    assertEquals("{\"userId\":\"bob\"}", text(parser.parse(buffer).body()));
    assertEquals(json.length(), buffer.position());
    assertEquals("hello, world", text(parser.parse(buffer).body()));
    assertEquals(json.length() + CHUNKED.length(), buffer.position());
    assertEquals("/api/health", parser.parse(buffer).path());
    assertNull(parser.parse(buffer));
    assertEquals("GET /partial", text(remaining(buffer)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validRequests")
  void bytesArrivingOneAtATimeGiveTheRequestOnlyAtItsLastByte(String name, String wire)
      throws Exception {
    HttpRequest expected = parseOne(wire);
    byte[] bytes = bytes(wire);
    HttpRequestParser parser = productParser();
    ByteBuffer buffer = ByteBuffer.wrap(bytes);

    for (int end = 0; end < bytes.length; end++) {
      buffer.limit(end);
      assertNull(parser.parse(buffer), "complete after only " + end + " bytes");
    }
    buffer.limit(bytes.length);
    assertSameRequest(expected, parser.parse(buffer));
    assertEquals(bytes.length, buffer.position());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validRequests")
  void splittingInTwoAtEveryOffsetGivesTheSameRequest(String name, String wire) throws Exception {
    HttpRequest expected = parseOne(wire);
    byte[] bytes = bytes(wire);

    for (int split = 0; split <= bytes.length; split++) {
      HttpRequestParser parser = productParser();
      ByteBuffer buffer = ByteBuffer.allocate(bytes.length);
      buffer.put(bytes, 0, split).flip();
      HttpRequest request = parser.parse(buffer);
      if (split < bytes.length) {
        assertNull(request, "complete after only " + split + " bytes");
        buffer.compact().put(bytes, split, bytes.length - split).flip();
        request = parser.parse(buffer);
      }
      assertSameRequest(expected, request);
      assertEquals(0, buffer.remaining(), "split at " + split);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validRequests")
  void aReactorStyleBufferOnlyGrowsToTheHint(String name, String wire) throws Exception {
    HttpRequest expected = parseOne(wire);
    List<HttpRequest> requests = new ArrayList<>();

    int largest = feedLikeAReactor(bytes(wire + wire), 3, requests);

    assertEquals(2, requests.size());
    assertSameRequest(expected, requests.get(0));
    assertSameRequest(expected, requests.get(1));
    assertTrue(largest <= productParser().bytesNeededHint(), "grew to " + largest);
  }

  @Test
  void everyValidRequestPipelinedAndFedByteByByteComesOutInOrder() throws Exception {
    List<String> wires = validRequests().map(a -> (String) a.get()[1]).toList();
    byte[] bytes = bytes(String.join("", wires));
    HttpRequestParser parser = productParser();
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    List<HttpRequest> requests = new ArrayList<>();

    for (int end = 0; end <= bytes.length; end++) {
      buffer.limit(end);
      for (HttpRequest r; (r = parser.parse(buffer)) != null; ) {
        requests.add(r);
      }
    }

    assertEquals(wires.size(), requests.size());
    for (int i = 0; i < wires.size(); i++) {
      assertSameRequest(parseOne(wires.get(i)), requests.get(i));
    }
  }

  @Test
  void aResetParserStartsAfresh() throws Exception {
    HttpRequestParser parser = productParser();
    String halfABody = "POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 9\r\n\r\nabc";
    assertNull(parser.parse(ByteBuffer.wrap(bytes(halfABody))));

    parser.reset();

    assertEquals("/api/health", parser.parse(ByteBuffer.wrap(bytes(GET_HEALTH))).path());
  }

  /**
   * Reads {@code wire} in pieces of {@code readSize} into a buffer that starts small and grows to
   * {@link HttpRequestParser#bytesNeededHint} only when it is full and nothing parsed, as the
   * reactor does. Returns the largest capacity used.
   */
  private static int feedLikeAReactor(byte[] wire, int readSize, List<HttpRequest> out)
      throws HttpParseException {
    HttpRequestParser parser = productParser();
    ByteBuffer buffer = ByteBuffer.allocate(8);
    int largest = buffer.capacity();
    for (int offset = 0; offset < wire.length; ) {
      int count = Math.min(Math.min(readSize, buffer.remaining()), wire.length - offset);
      buffer.put(wire, offset, count).flip();
      offset += count;
      for (HttpRequest r; (r = parser.parse(buffer)) != null; ) {
        out.add(r);
      }
      buffer.compact();
      if (!buffer.hasRemaining()) {
        buffer = ByteBuffer.allocate(parser.bytesNeededHint()).put(buffer.flip());
        largest = Math.max(largest, buffer.capacity());
      }
    }
    return largest;
  }

  private static byte[] remaining(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }
}
