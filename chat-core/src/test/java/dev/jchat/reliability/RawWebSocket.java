package dev.jchat.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A chat socket over a plain {@link Socket}, for bytes no well-behaved client would send. Builds
 * client frames bit by bit; reads server frames with a bounded wait (SO_TIMEOUT).
 */
final class RawWebSocket implements AutoCloseable {
  static final int TEXT = 0x1;
  static final int BINARY = 0x2;
  static final int CONTINUATION = 0x0;
  static final int CLOSE = 0x8;
  static final int PING = 0x9;
  static final int PONG = 0xA;
  static final int FIN = 0x80;

  final Socket socket;
  final InputStream in;
  final OutputStream out;

  /** A frame from the server. */
  record Frame(int b0, byte[] payload) {
    int opcode() {
      return b0 & 0x0F;
    }

    boolean fin() {
      return (b0 & FIN) != 0;
    }

    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    int closeCode() {
      return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
    }
  }

  private RawWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** Connects and upgrades; fails unless the server answers 101. */
  static RawWebSocket connect(int port) {
    return connect(port, null, 0);
  }

  /**
   * @param origin an Origin header to send, or null
   * @param receiveBuffer SO_RCVBUF to ask for before connecting (small: a client that stalls
   *     sooner), or 0 for the default
   */
  static RawWebSocket connect(int port, String origin, int receiveBuffer) {
    try {
      Socket s = new Socket();
      if (receiveBuffer > 0) s.setReceiveBufferSize(receiveBuffer);
      s.setTcpNoDelay(true);
      s.setSoTimeout((int) ChatSocket.WAIT.toMillis());
      s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      RawWebSocket ws = new RawWebSocket(s);
      String head = ws.upgrade(origin);
      assertTrue(head.startsWith("HTTP/1.1 101 "), head);
      return ws;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Connects and writes the upgrade request followed at once by {@code frames}, without waiting for
   * the 101; read it with {@link #readUpgradeResponse}. For opening many sockets quickly.
   */
  static RawWebSocket connectPipelined(int port, byte[]... frames) {
    try {
      Socket s = new Socket();
      s.setSoTimeout((int) ChatSocket.WAIT.toMillis());
      s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      RawWebSocket ws = new RawWebSocket(s);
      ws.out.write(upgradeRequest(null).getBytes(StandardCharsets.US_ASCII));
      for (byte[] f : frames) ws.out.write(f);
      ws.out.flush();
      return ws;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void readUpgradeResponse() {
    try {
      String head = readHead(in);
      assertTrue(head.startsWith("HTTP/1.1 101 "), head);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends the upgrade request and returns the response head (through the empty line). */
  String upgrade(String origin) throws IOException {
    out.write(upgradeRequest(origin).getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return readHead(in);
  }

  private static String upgradeRequest(String origin) {
    byte[] key = new byte[16];
    ThreadLocalRandom.current().nextBytes(key);
    return "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: "
        + Base64.getEncoder().encodeToString(key)
        + "\r\n"
        + "Sec-WebSocket-Version: 13\r\n"
        + (origin == null ? "" : "Origin: " + origin + "\r\n")
        + "\r\n";
  }

  /** Reads an HTTP response head byte by byte, so nothing after it is consumed. */
  static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) throw new EOFException("connection closed in the response head: " + head);
      head.write(b);
      byte[] h = head.toByteArray();
      int n = h.length;
      if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
        return head.toString(StandardCharsets.ISO_8859_1);
      }
    }
  }

  /** Sends hello and waits for welcome. */
  RawWebSocket hello(String token) {
    sendText(Api.JSON.createObjectNode().put("type", "hello").put("token", token).toString());
    assertEquals("welcome", readJson().get("type").asText());
    return this;
  }

  void sendText(String json) {
    write(frame(FIN | TEXT, json.getBytes(StandardCharsets.UTF_8)));
  }

  void write(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the bytes in pieces of {@code piece} bytes, each flushed on its own. */
  void writeInPieces(byte[] bytes, int piece) {
    for (int i = 0; i < bytes.length; i += piece) {
      try {
        out.write(bytes, i, Math.min(piece, bytes.length - i));
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** A masked client frame with the shortest length encoding. */
  static byte[] frame(int b0, byte[] payload) {
    int form = payload.length <= 125 ? 7 : payload.length <= 0xFFFF ? 16 : 64;
    return frame(b0, payload, true, form);
  }

  /**
   * A client frame, exactly as asked.
   *
   * @param lengthForm 7, 16 or 64: which length encoding to use (a short payload may be sent with a
   *     longer form)
   */
  static byte[] frame(int b0, byte[] payload, boolean masked, int lengthForm) {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write(b0);
    int mask = masked ? 0x80 : 0;
    int n = payload.length;
    if (lengthForm == 7) {
      f.write(mask | n);
    } else if (lengthForm == 16) {
      f.write(mask | 126);
      f.write(n >>> 8);
      f.write(n);
    } else {
      f.write(mask | 127);
      for (int shift = 56; shift >= 0; shift -= 8) f.write((int) ((long) n >>> shift));
    }
    if (!masked) {
      f.writeBytes(payload);
      return f.toByteArray();
    }
    byte[] key = new byte[4];
    ThreadLocalRandom.current().nextBytes(key);
    f.writeBytes(key);
    for (int i = 0; i < n; i++) f.write(payload[i] ^ key[i & 3]);
    return f.toByteArray();
  }

  /** A frame header announcing {@code length} bytes, with nothing after it. */
  static byte[] header(int b0, long length) {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write(b0);
    f.write(0x80 | 127);
    for (int shift = 56; shift >= 0; shift -= 8) f.write((int) (length >>> shift));
    f.writeBytes(new byte[] {1, 2, 3, 4});
    return f.toByteArray();
  }

  static byte[] closePayload(int code, byte[] reason) {
    byte[] p = new byte[2 + reason.length];
    p[0] = (byte) (code >>> 8);
    p[1] = (byte) code;
    System.arraycopy(reason, 0, p, 2, reason.length);
    return p;
  }

  /** The next frame from the server; fails after the bounded wait. */
  Frame read() {
    try {
      int b0 = readByte();
      int b1 = readByte();
      assertEquals(0, b1 & 0x80, "server frames must not be masked");
      long n = b1 & 0x7F;
      if (n == 126) {
        n = (readByte() << 8) | readByte();
      } else if (n == 127) {
        n = 0;
        for (int i = 0; i < 8; i++) n = (n << 8) | readByte();
      }
      byte[] payload = in.readNBytes((int) n);
      if (payload.length < n) throw new EOFException("connection closed inside a frame");
      return new Frame(b0, payload);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b < 0) throw new EOFException("connection closed");
    return b;
  }

  /** The next text frame as JSON; control frames before it are skipped (pings unanswered). */
  JsonNode readJson() {
    while (true) {
      Frame f = read();
      if (f.opcode() == TEXT) return Api.parse(f.text());
      if (f.opcode() == CLOSE)
        throw new AssertionError("closed with " + f.closeCode() + " while expecting text");
    }
  }

  /**
   * Reads until the server's close frame and returns its code (text frames before it are skipped).
   */
  int awaitCloseCode() {
    while (true) {
      Frame f = read();
      if (f.opcode() == CLOSE) return f.closeCode();
    }
  }

  /** True once the server has closed the TCP connection (EOF or reset) within the bounded wait. */
  boolean awaitEof() {
    try {
      byte[] sink = new byte[8192];
      while (in.read(sink) >= 0) {
        // drain: the server may still be sending; we wait for the end
      }
      return true;
    } catch (SocketException e) {
      return true; // reset: closed as well
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
