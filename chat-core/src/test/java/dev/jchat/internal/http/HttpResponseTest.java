package dev.jchat.internal.http;

import static dev.jchat.internal.http.Wire.bytes;
import static dev.jchat.internal.http.Wire.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

final class HttpResponseTest {

  @Test
  void okWithJsonBody() {
    byte[] body = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);

    byte[] response =
        HttpResponse.encode(200, HttpHeaders.of("Content-Type", "application/json"), body, true);

    assertArrayEquals(
        bytes(
            "HTTP/1.1 200 OK\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: 15\r\n"
                + "\r\n"
                + "{\"status\":\"ok\"}"),
        response);
  }

  @Test
  void noContentCarriesNoContentLength() {
    byte[] response = HttpResponse.encode(204, new HttpHeaders(), new byte[0], true);

    assertArrayEquals(bytes("HTTP/1.1 204 No Content\r\n\r\n"), response);
  }

  @Test
  void closingTheConnectionSaysSo() {
    byte[] body =
        bytes("{\"error\":{\"code\":\"bad_request\",\"message\":\"Missing Host header.\"}}");

    byte[] response =
        HttpResponse.encode(400, HttpHeaders.of("Content-Type", "application/json"), body, false);

    assertEquals(
        "HTTP/1.1 400 Bad Request\r\n"
            + "Content-Type: application/json\r\n"
            + "Content-Length: "
            + body.length
            + "\r\n"
            + "Connection: close\r\n"
            + "\r\n"
            + text(body),
        text(response));
  }

  @Test
  void switchingProtocolsKeepsTheCallersConnectionHeaderAndHasNoLength() {
    HttpHeaders headers =
        HttpHeaders.of(
            "Upgrade", "websocket",
            "Connection", "Upgrade",
            "Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");

    byte[] response = HttpResponse.encode(101, headers, new byte[0], true);

    assertEquals(
        "HTTP/1.1 101 Switching Protocols\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
            + "\r\n",
        text(response));
  }

  @Test
  void anEmptyBodyOnAStatusThatHasOneStillGetsContentLengthZero() {
    assertEquals(
        "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n",
        text(HttpResponse.encode(201, new HttpHeaders(), new byte[0], true)));
  }

  @Test
  void anUnknownStatusHasAnEmptyReasonPhrase() {
    assertEquals(
        "HTTP/1.1 599 \r\nContent-Length: 0\r\n\r\n",
        text(HttpResponse.encode(599, new HttpHeaders(), new byte[0], true)));
  }

  @Test
  void reasonPhrasesOfTheStatusesTheServerUses() {
    assertEquals("Content Too Large", HttpResponse.reason(413));
    assertEquals("Request Header Fields Too Large", HttpResponse.reason(431));
    assertEquals("Too Many Requests", HttpResponse.reason(429));
    assertEquals("HTTP Version Not Supported", HttpResponse.reason(505));
    assertEquals("Not Implemented", HttpResponse.reason(501));
    assertEquals("Conflict", HttpResponse.reason(409));
  }

  @Test
  void framingHeadersFromTheCallerAreRefused() {
    byte[] none = new byte[0];

    assertEquals(
        "Content-Length is written by the encoder.",
        assertThrows(
                IllegalArgumentException.class,
                () -> HttpResponse.encode(200, HttpHeaders.of("Content-Length", "3"), none, true))
            .getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> HttpResponse.encode(200, HttpHeaders.of("Transfer-Encoding", "chunked"), none, true));
    assertEquals(
        "Connection is written by the encoder when closing.",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    HttpResponse.encode(
                        200, HttpHeaders.of("Connection", "keep-alive"), none, false))
            .getMessage());
  }

  @Test
  void aBodyOnABodilessStatusOrAStatusOutOfRangeIsRefused() {
    assertEquals(
        "A 204 response has no body.",
        assertThrows(
                IllegalArgumentException.class,
                () -> HttpResponse.encode(204, new HttpHeaders(), bytes("x"), true))
            .getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> HttpResponse.encode(99, new HttpHeaders(), new byte[0], true));
    assertThrows(
        IllegalArgumentException.class,
        () -> HttpResponse.encode(1000, new HttpHeaders(), new byte[0], true));
  }
}
