package dev.jchat.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** HTTP/1.1 over a plain socket, for requests no HTTP client library would send. */
final class RawHttp implements AutoCloseable {
  final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  record Response(int status, String head, byte[] body) {
    JsonNode json() {
      return Api.parse(new String(body, StandardCharsets.UTF_8));
    }

    /** Asserts the contract's error shape and returns its code. */
    String errorCode() {
      JsonNode error = json().get("error");
      assertNotNull(error, () -> "not an error body: " + new String(body, StandardCharsets.UTF_8));
      assertNotNull(error.get("message"), "an error has a message");
      return error.get("code").asText();
    }
  }

  RawHttp(int port) {
    this(port, null);
  }

  /**
   * @param localAddress the loopback address to connect from (127.0.0.2 and so on), or null
   */
  RawHttp(int port, String localAddress) {
    try {
      socket = new Socket();
      if (localAddress != null) socket.bind(new InetSocketAddress(localAddress, 0));
      socket.setSoTimeout((int) ChatSocket.WAIT.toMillis());
      socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      in = socket.getInputStream();
      out = socket.getOutputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One request on a fresh connection. */
  static Response exchange(int port, String request) {
    try (RawHttp http = new RawHttp(port)) {
      return http.send(request.getBytes(StandardCharsets.ISO_8859_1));
    }
  }

  static Response exchange(int port, byte[] request) {
    try (RawHttp http = new RawHttp(port)) {
      return http.send(request);
    }
  }

  Response send(byte[] request) {
    try {
      out.write(request);
      out.flush();
    } catch (SocketException e) {
      // the server may answer and close before it has read everything: read what it said
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return read();
  }

  Response read() {
    try {
      String head = RawWebSocket.readHead(in);
      int status = Integer.parseInt(head.substring(9, 12));
      int length = 0;
      for (String line : head.split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:"))
          length = Integer.parseInt(line.substring(15).trim());
      }
      byte[] body = in.readNBytes(length);
      assertEquals(length, body.length, "the whole body");
      return new Response(status, head, body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** True when the server closes the connection (within the bounded wait). */
  boolean awaitClosed() {
    try {
      return in.read() < 0;
    } catch (SocketException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // test cleanup
    }
  }
}
