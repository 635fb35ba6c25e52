package dev.jchat.internal.http;

import static dev.jchat.internal.http.Wire.parseOne;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a parsed request tells the router: persistence, path segments, query parameters. */
final class HttpRequestTest {

  @Test
  void http11KeepsTheConnectionUnlessToldToClose() throws Exception {
    assertTrue(parseOne("GET / HTTP/1.1\r\nHost: h\r\n\r\n").keepAlive());
    assertFalse(parseOne("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n").keepAlive());
    assertFalse(
        parseOne("GET / HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, CLOSE\r\n\r\n").keepAlive());
  }

  @Test
  void http10ClosesTheConnectionUnlessAskedToKeepIt() throws Exception {
    assertFalse(parseOne("GET / HTTP/1.0\r\n\r\n").keepAlive());
    assertTrue(parseOne("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keepAlive());
    assertFalse(parseOne("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n").keepAlive());
  }

  @Test
  void pathSegmentsArePercentDecodedAsUtf8() throws Exception {
    HttpRequest request = parseOne("GET /api/rooms/Room%201/messages HTTP/1.1\r\nHost: h\r\n\r\n");

    assertEquals("/api/rooms/Room%201/messages", request.path());
    assertEquals(List.of("api", "rooms", "Room 1", "messages"), request.pathSegments());
    assertEquals(
        List.of("caf\u00e9", "\u20ac"),
        parseOne("GET /caf%C3%A9/%e2%82%ac HTTP/1.1\r\nHost: h\r\n\r\n").pathSegments());
  }

  @Test
  void anEncodedSlashStaysInsideItsSegmentAndPlusIsNotASpaceInPaths() throws Exception {
    HttpRequest request = parseOne("GET /a%2Fb/c+d HTTP/1.1\r\nHost: h\r\n\r\n");

    assertEquals(List.of("a/b", "c+d"), request.pathSegments());
  }

  @Test
  void emptySegmentsAreKeptSoATrailingSlashIsVisible() throws Exception {
    assertEquals(List.of(), parseOne("GET / HTTP/1.1\r\nHost: h\r\n\r\n").pathSegments());
    assertEquals(
        List.of("api", "rooms", ""),
        parseOne("GET /api/rooms/ HTTP/1.1\r\nHost: h\r\n\r\n").pathSegments());
    assertEquals(
        List.of("a", "", "b"), parseOne("GET /a//b HTTP/1.1\r\nHost: h\r\n\r\n").pathSegments());
  }

  @Test
  void queryParametersAreDecodedWithPlusAsSpaceAndTheFirstValueWins() throws Exception {
    HttpRequest request =
        parseOne(
            "GET /api/rooms/general/messages?before=58&limit=50&limit=7&q=a+b%26c%3D&flag&&x=%C3%A9"
                + " HTTP/1.1\r\nHost: h\r\n\r\n");

    assertEquals("/api/rooms/general/messages", request.path());
    assertEquals(
        Map.of("before", "58", "limit", "50", "q", "a b&c=", "flag", "", "x", "\u00e9"),
        request.query());
    assertEquals(
        List.of("before", "limit", "q", "flag", "x"), List.copyOf(request.query().keySet()));
  }

  @Test
  void noQueryIsAnEmptyMap() throws Exception {
    HttpRequest request = parseOne("GET /a? HTTP/1.1\r\nHost: h\r\n\r\n");

    assertEquals("", request.rawQuery());
    assertEquals(Map.of(), request.query());
  }

  @Test
  void aHandBuiltRequestWithABadEscapeFailsWhenDecoded() {
    HttpRequest request =
        new HttpRequest("GET", "/%zz", "/%zz", "a=%", "HTTP/1.1", new HttpHeaders(), new byte[0]);

    assertThrows(IllegalArgumentException.class, request::pathSegments);
    assertThrows(IllegalArgumentException.class, request::query);
  }
}
