package dev.jchat.it;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * HTTP/1.1 over a plain {@link Socket}, for requests no HTTP client would send: garbage, oversized
 * heads and bodies, pipelining. Reads responses framed by {@code Content-Length} or chunked
 * encoding.
 */
final class RawHttp implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  /** A parsed response; header names are lower case. */
  record Response(int status, Map<String, String> headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    JsonNode json() {
      return Json.parse(text());
    }
  }

  private RawHttp(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  static RawHttp connect(int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    socket.setSoTimeout(10_000);
    return new RawHttp(socket);
  }

  void write(String ascii) throws IOException {
    write(ascii.getBytes(StandardCharsets.ISO_8859_1));
  }

  void write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /**
   * Writes on another thread, ignoring a connection the server closes meanwhile: for requests the
   * server may answer (and hang up on) before reading them to the end.
   */
  CompletableFuture<Void> writeInBackground(byte[] bytes) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            write(bytes);
          } catch (IOException closedByServer) {
            // expected when the server rejects the request early
          }
        });
  }

  /** Reads one complete response (within the 10 s read timeout). */
  Response readResponse() throws IOException {
    String head = RawWebSocket.readHead(in);
    String[] lines = head.split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1."))
      fail("bad status line: " + head);
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
    return new Response(status, headers, readBody(status, headers));
  }

  private byte[] readBody(int status, Map<String, String> headers) throws IOException {
    if (status == 204 || status == 304 || status / 100 == 1) return new byte[0];
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) return readChunked();
    String length = headers.get("content-length");
    if (length != null) return in.readNBytes(Integer.parseInt(length));
    if ("close".equalsIgnoreCase(headers.get("connection"))) return in.readAllBytes();
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
      if (b < 0) throw new EOFException("connection ended inside a chunked body");
      if (b != '\r') line.write(b);
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  /** Asserts that the server closes the connection (end of stream or reset) within 10 s. */
  void assertClosedByServer() throws IOException {
    try {
      int b = in.read();
      if (b >= 0) fail("expected the server to close the connection, but it sent more bytes");
    } catch (SocketTimeoutException e) {
      fail("the server kept the connection open for 10 s");
    } catch (SocketException reset) {
      // a reset is a close too
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
