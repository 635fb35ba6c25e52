package dev.jchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;

/**
 * A chat socket on a plain {@link Socket}: the upgrade handshake done by hand, and frames built bit
 * by bit, so that tests can send what no WebSocket library would (unmasked frames, reserved bits,
 * broken UTF-8) and read the server's close code.
 *
 * <pre>
 *   byte 0: FIN | RSV1 RSV2 RSV3 | opcode (4 bits)
 *   byte 1: MASK | payload length (7 bits: 0-125, 126 = 16-bit length follows, 127 = 64-bit)
 *   then the extended length, the 4-byte masking key when MASK is set, the payload
 * </pre>
 */
final class RawWebSocket implements AutoCloseable {
  static final int CONTINUATION = 0x0;
  static final int TEXT = 0x1;
  static final int BINARY = 0x2;
  static final int CLOSE = 0x8;
  static final int PING = 0x9;
  static final int PONG = 0xA;

  private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final List<String> received = new ArrayList<>();

  /** A frame from the server. */
  record ServerFrame(boolean fin, int opcode, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  private RawWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Connects and completes the upgrade, checking {@code Sec-WebSocket-Accept}. */
  static RawWebSocket connect(int port) throws IOException {
    return connect(port, 0);
  }

  /**
   * Connects with a receive buffer of {@code receiveBufferBytes} (0: the system's default), small
   * to make a client that stops reading push back on the server quickly.
   */
  static RawWebSocket connect(int port, int receiveBufferBytes) throws IOException {
    Socket socket = new Socket();
    if (receiveBufferBytes > 0) socket.setReceiveBufferSize(receiveBufferBytes);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    socket.setSoTimeout(10_000);
    RawWebSocket ws = new RawWebSocket(socket);
    ws.upgrade(port);
    return ws;
  }

  /** Connects and sends {@code hello}, returning once the {@code welcome} arrived. */
  static RawWebSocket signIn(int port, String token) throws IOException {
    return signIn(port, token, 0);
  }

  static RawWebSocket signIn(int port, String token, int receiveBufferBytes) throws IOException {
    RawWebSocket ws = connect(port, receiveBufferBytes);
    ws.sendText(Json.object("type", "hello", "token", token));
    ws.awaitJson("welcome");
    return ws;
  }

  private void upgrade(int port) throws IOException {
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    String key = Base64.getEncoder().encodeToString(nonce);
    String request =
        "GET /ws HTTP/1.1\r\n"
            + "Host: 127.0.0.1:"
            + port
            + "\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: "
            + key
            + "\r\n"
            + "Sec-WebSocket-Version: 13\r\n\r\n";
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    String head = readHead(in);
    String statusLine = head.lines().findFirst().orElse("");
    if (!statusLine.startsWith("HTTP/1.1 101")) fail("upgrade refused: " + head);
    String expected = expectedAccept(key);
    boolean accepted =
        head.lines()
            .anyMatch(
                line ->
                    line.toLowerCase().startsWith("sec-websocket-accept:")
                        && line.substring(line.indexOf(':') + 1).trim().equals(expected));
    if (!accepted)
      fail("wrong or missing Sec-WebSocket-Accept (expected " + expected + "): " + head);
  }

  static String expectedAccept(String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-1")
              .digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** Reads an HTTP head up to and including the blank line, as ISO-8859-1 text. */
  static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) throw new EOFException("connection ended inside the response head: " + head);
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  /** Sends a final, masked text frame. */
  void sendText(String text) throws IOException {
    sendFrame(true, 0, TEXT, text.getBytes(StandardCharsets.UTF_8), true);
  }

  /**
   * Sends one frame exactly as described; {@code rsv} holds the three reserved bits (0-7). Written
   * with a single write, so a server that closes early sees the whole frame at once.
   */
  void sendFrame(boolean fin, int rsv, int opcode, byte[] payload, boolean masked)
      throws IOException {
    out.write(encodeFrame(fin, rsv, opcode, payload, masked));
    out.flush();
  }

  /** Like {@link #sendFrame} but tolerates the server closing the connection while we write. */
  void sendFrameIgnoringReset(boolean fin, int rsv, int opcode, byte[] payload, boolean masked) {
    try {
      sendFrame(fin, rsv, opcode, payload, masked);
    } catch (IOException closedEarly) {
      // the server may fail the connection as soon as it has seen the header
    }
  }

  /** Writes bytes as they are (several frames at once, say), tolerating an early close. */
  void writeRawIgnoringReset(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException closedEarly) {
      // the server may fail the connection before it has read everything
    }
  }

  static byte[] encodeFrame(boolean fin, int rsv, int opcode, byte[] payload, boolean masked) {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
    frame.write((fin ? 0x80 : 0) | (rsv & 0x7) << 4 | (opcode & 0xF));
    int maskBit = masked ? 0x80 : 0;
    if (payload.length <= 125) {
      frame.write(maskBit | payload.length);
    } else if (payload.length <= 0xFFFF) {
      frame.write(maskBit | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length & 0xFF);
    } else {
      frame.write(maskBit | 127);
      long length = payload.length;
      for (int shift = 56; shift >= 0; shift -= 8) frame.write((int) (length >>> shift) & 0xFF);
    }
    byte[] body = payload.clone();
    if (masked) {
      byte[] key = new byte[4];
      RANDOM.nextBytes(key);
      frame.write(key, 0, 4);
      for (int i = 0; i < body.length; i++) body[i] ^= key[i % 4];
    }
    frame.write(body, 0, body.length);
    return frame.toByteArray();
  }

  /** Reads one frame from the server; server frames must not be masked. */
  ServerFrame readFrame() throws IOException {
    int b0 = in.readUnsignedByte();
    int b1 = in.readUnsignedByte();
    if ((b1 & 0x80) != 0) fail("the server sent a masked frame");
    long length = b1 & 0x7F;
    if (length == 126) length = in.readUnsignedShort();
    else if (length == 127) length = in.readLong();
    if (length > 16 * 1024 * 1024) fail("implausible server frame length " + length);
    byte[] payload = new byte[(int) length];
    in.readFully(payload);
    return new ServerFrame((b0 & 0x80) != 0, b0 & 0x0F, payload);
  }

  /**
   * Reads the next complete text message as JSON, answering nothing and skipping pings and pongs.
   * Fails when the server closes instead.
   */
  JsonNode readJson() throws IOException {
    StringBuilder text = new StringBuilder();
    while (true) {
      ServerFrame frame = readFrame();
      switch (frame.opcode()) {
        case PING, PONG -> {}
        case CLOSE ->
            fail(
                "server closed with "
                    + closeCode(frame)
                    + " instead of sending a message;"
                    + " received: "
                    + received);
        case TEXT, CONTINUATION -> {
          text.append(frame.text());
          if (frame.fin()) {
            received.add(Json.abbreviate(text.toString()));
            return Json.parse(text.toString());
          }
        }
        default -> fail("unexpected server frame opcode " + frame.opcode());
      }
    }
  }

  /** Reads messages until one of {@code type} arrives, and returns it. */
  JsonNode awaitJson(String type) throws IOException {
    while (true) {
      JsonNode json = readJson();
      if (type.equals(json.path("type").asText())) return json;
    }
  }

  /**
   * Reads until the server's close frame and returns its status code (1005 when it carries none).
   * Fails when the connection ends, resets or stays silent for 10 s without a close frame.
   */
  int awaitCloseCode() {
    try {
      while (true) {
        ServerFrame frame = readFrame();
        if (frame.opcode() == CLOSE) return closeCode(frame);
        if (frame.opcode() == TEXT) received.add(Json.abbreviate(frame.text()));
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no close frame within 10 s; received: " + received, e);
    } catch (EOFException | SocketException e) {
      throw new AssertionError("connection ended without a close frame; received: " + received, e);
    } catch (IOException e) {
      throw new AssertionError("reading the close frame failed; received: " + received, e);
    }
  }

  /**
   * Reads until the connection ends, by a close frame or by end of stream or reset, and returns the
   * close code, or -1 when there was no close frame. Every text message read on the way is passed
   * to {@code onText}. Fails when the server stays silent for 10 s.
   */
  int readUntilEnd(Consumer<String> onText) {
    StringBuilder text = new StringBuilder();
    try {
      while (true) {
        ServerFrame frame = readFrame();
        if (frame.opcode() == CLOSE) return closeCode(frame);
        if (frame.opcode() == TEXT || frame.opcode() == CONTINUATION) {
          text.append(frame.text());
          if (frame.fin()) {
            onText.accept(text.toString());
            text.setLength(0);
          }
        }
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server kept the connection open and silent for 10 s", e);
    } catch (IOException ended) {
      return -1;
    }
  }

  /** Reads frames, skipping messages, until a ping arrives; returns its payload. */
  byte[] awaitPing() throws IOException {
    while (true) {
      ServerFrame frame = readFrame();
      if (frame.opcode() == PING) return frame.payload();
      if (frame.opcode() == CLOSE)
        fail("server closed with " + closeCode(frame) + " before pinging");
    }
  }

  /** Sends a ping with {@code payload} and returns the payload of the next pong. */
  byte[] ping(byte[] payload) throws IOException {
    sendFrame(true, 0, PING, payload, true);
    while (true) {
      ServerFrame frame = readFrame();
      if (frame.opcode() == PONG) return frame.payload();
      if (frame.opcode() == CLOSE)
        fail("server closed with " + closeCode(frame) + " instead of a pong");
    }
  }

  private static int closeCode(ServerFrame frame) {
    byte[] p = frame.payload();
    if (p.length == 0) return 1005;
    assertEquals(true, p.length >= 2, "a close payload has at least two bytes");
    return (p[0] & 0xFF) << 8 | (p[1] & 0xFF);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
