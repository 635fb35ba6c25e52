package dev.jchat.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * HTTP/1.1 over a plain socket, for requests no HTTP client would send: garbage, oversized heads
 * and bodies, pipelining, other source addresses. Reads responses framed by {@code Content-Length}
 * or chunked encoding, waiting a bounded time. I/O failures surface as {@link
 * UncheckedIOException}.
 */
public final class RawHttp implements AutoCloseable {
  private final TcpConnection connection;
  private final InputStream in;

  /** A parsed response: its head as sent, header names in lower case, the body. */
  public record Response(int status, String head, Map<String, String> headers, byte[] body) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public JsonNode json() {
      return TestJson.parse(text());
    }

    /**
     * Asserts the contract's error shape {@code {"error":{"code","message"}}}; returns its code.
     */
    public String errorCode() {
      JsonNode error = json().get("error");
      assertNotNull(error, () -> "not an error body: " + text());
      assertNotNull(error.get("message"), "an error has a message");
      return error.get("code").asText();
    }
  }

  private RawHttp(TcpConnection connection) {
    this.connection = connection;
    this.in = connection.in;
  }

  public static RawHttp connect(int port) {
    return connect(port, null);
  }

  /**
   * @param localAddress the loopback address to connect from (127.0.0.2 and so on), or null
   */
  public static RawHttp connect(int port, String localAddress) {
    return new RawHttp(TcpConnection.open(port, localAddress, 0));
  }

  /** One request on a fresh connection. */
  public static Response exchange(int port, String request) {
    return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1));
  }

  public static Response exchange(int port, byte[] request) {
    try (RawHttp http = connect(port)) {
      return http.send(request);
    }
  }

  /**
   * Writes the request and reads the response, even when the server answered before reading all.
   */
  public Response send(String request) {
    return send(request.getBytes(StandardCharsets.ISO_8859_1));
  }

  public Response send(byte[] request) {
    // the server may answer and close before it has read everything: read what it said
    connection.writeIgnoringReset(request);
    return readResponse();
  }

  public void write(String ascii) {
    write(ascii.getBytes(StandardCharsets.ISO_8859_1));
  }

  public void write(byte[] bytes) {
    connection.write(bytes);
  }

  /**
   * Writes on another thread, ignoring a connection the server closes meanwhile: for requests the
   * server may answer (and hang up on) before reading them to the end.
   */
  public CompletableFuture<Void> writeInBackground(byte[] bytes) {
    return CompletableFuture.runAsync(() -> connection.writeIgnoringReset(bytes));
  }

  /** Reads one complete response. */
  public Response readResponse() {
    try {
      String head = connection.readHead();
      String[] lines = head.split("\r\n");
      String[] statusLine = lines[0].split(" ", 3);
      if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
        fail("bad status line: " + head);
      }
      int status = Integer.parseInt(statusLine[1]);
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          headers.put(
              lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
              lines[i].substring(colon + 1).trim());
        }
      }
      return new Response(status, head, headers, readBody(status, headers));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private byte[] readBody(int status, Map<String, String> headers) throws IOException {
    if (status == 204 || status == 304 || status / 100 == 1) {
      return new byte[0];
    }
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      return readChunked();
    }
    String length = headers.get("content-length");
    if (length != null) {
      int n = Integer.parseInt(length);
      byte[] body = in.readNBytes(n);
      assertEquals(n, body.length, "the whole body");
      return body;
    }
    if ("close".equalsIgnoreCase(headers.get("connection"))) {
      return in.readAllBytes();
    }
    return new byte[0];
  }

  private byte[] readChunked() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = readLine();
      int size = Integer.parseInt(sizeLine.split(";", 2)[0].trim(), 16);
      if (size == 0) {
        while (!readLine().isEmpty()) {} // trailers
        return body.toByteArray();
      }
      body.write(in.readNBytes(size));
      readLine();
    }
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b; (b = in.read()) != '\n'; ) {
      if (b < 0) {
        throw new EOFException("connection ended inside a chunked body");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  /** Asserts that the server closes the connection (end of stream or reset) within the wait. */
  public void assertClosedByServer() {
    try {
      int b = in.read();
      if (b >= 0) {
        fail("expected the server to close the connection, but it sent more bytes");
      }
    } catch (SocketTimeoutException e) {
      fail("the server kept the connection open for " + TcpConnection.READ_TIMEOUT + " ms");
    } catch (SocketException reset) {
      // a reset is a close too
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    connection.close();
  }
}
