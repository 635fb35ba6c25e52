package dev.jchat.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A chat socket on a plain socket: the upgrade handshake done by hand, and frames built bit by bit,
 * so that tests can send what no WebSocket library would (unmasked frames, reserved bits, broken
 * UTF-8, lying lengths) and read the server's close code. Reads wait a bounded time and fail after
 * it; I/O failures surface as {@link UncheckedIOException}.
 *
 * <pre>
 *   byte 0: FIN | RSV1 RSV2 RSV3 | opcode (4 bits)
 *   byte 1: MASK | payload length (7 bits: 0-125, 126 = 16-bit length follows, 127 = 64-bit)
 *   then the extended length, the 4-byte masking key when MASK is set, the payload
 * </pre>
 */
public final class RawWebSocket implements AutoCloseable {
  public static final int CONTINUATION = 0x0;
  public static final int TEXT = 0x1;
  public static final int BINARY = 0x2;
  public static final int CLOSE = 0x8;
  public static final int PING = 0x9;
  public static final int PONG = 0xA;
  public static final int FIN = 0x80;

  private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private final TcpConnection connection;
  private final InputStream in;
  private final String key;
  private final List<String> received = new ArrayList<>();

  /** A frame from the server. */
  public record Frame(int b0, byte[] payload) {
    public int opcode() {
      return b0 & 0x0F;
    }

    public boolean fin() {
      return (b0 & FIN) != 0;
    }

    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The status code of a close frame; 1005 when it carries none. */
    public int closeCode() {
      return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
    }
  }

  private RawWebSocket(TcpConnection connection) {
    this.connection = connection;
    this.in = connection.in;
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    this.key = Base64.getEncoder().encodeToString(nonce);
  }

  /** Connects and completes the upgrade, checking the 101 and {@code Sec-WebSocket-Accept}. */
  public static RawWebSocket connect(int port) {
    return connect(port, null, 0);
  }

  /**
   * @param origin an Origin header to send, or null
   * @param receiveBuffer SO_RCVBUF to ask for before connecting (small: a client that stops reading
   *     pushes back on the server sooner), or 0 for the default
   */
  public static RawWebSocket connect(int port, String origin, int receiveBuffer) {
    RawWebSocket ws = open(port, receiveBuffer);
    ws.write(ws.upgradeRequest(origin).getBytes(StandardCharsets.US_ASCII));
    ws.readUpgradeResponse();
    return ws;
  }

  /** Connects, upgrades and signs in with {@code token}. */
  public static RawWebSocket signIn(int port, String token) {
    return connect(port).hello(token);
  }

  /**
   * Connects and writes the upgrade request followed at once by {@code frames}, without waiting for
   * the 101; read it with {@link #readUpgradeResponse}. For opening many sockets quickly.
   */
  public static RawWebSocket connectPipelined(int port, byte[]... frames) {
    RawWebSocket ws = open(port, 0);
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.writeBytes(ws.upgradeRequest(null).getBytes(StandardCharsets.US_ASCII));
    for (byte[] f : frames) {
      request.writeBytes(f);
    }
    ws.write(request.toByteArray());
    return ws;
  }

  private static RawWebSocket open(int port, int receiveBuffer) {
    return new RawWebSocket(TcpConnection.open(port, null, receiveBuffer));
  }

  private String upgradeRequest(String origin) {
    return "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: "
        + key
        + "\r\n"
        + "Sec-WebSocket-Version: 13\r\n"
        + (origin == null ? "" : "Origin: " + origin + "\r\n")
        + "\r\n";
  }

  /** Reads the answer to the upgrade and fails unless it is a 101 with the right accept key. */
  public void readUpgradeResponse() {
    String head = upgradeResponse();
    if (!head.startsWith("HTTP/1.1 101 ")) {
      fail("upgrade refused: " + head);
    }
    String expected = expectedAccept(key);
    boolean accepted =
        head.lines()
            .anyMatch(
                line ->
                    line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-accept:")
                        && line.substring(line.indexOf(':') + 1).trim().equals(expected));
    if (!accepted) {
      fail("wrong or missing Sec-WebSocket-Accept (expected " + expected + "): " + head);
    }
  }

  /** The raw response head to the upgrade request (through the empty line), whatever it says. */
  public String upgradeResponse() {
    return connection.readHead();
  }

  /** The {@code Sec-WebSocket-Accept} value RFC 6455 derives from {@code key}. */
  public static String expectedAccept(String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-1")
              .digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** Sends hello and waits for welcome. */
  public RawWebSocket hello(String token) {
    sendText(TestJson.object("type", "hello", "token", token));
    awaitJson("welcome");
    return this;
  }

  /** Sends a final, masked text frame. */
  public void sendText(String text) {
    write(frame(FIN | TEXT, text.getBytes(StandardCharsets.UTF_8)));
  }

  /** Writes the bytes as they are (one frame, several, or part of one) in a single write. */
  public void write(byte[] bytes) {
    connection.write(bytes);
  }

  /** Like {@link #write} but tolerates the server closing the connection before it read all. */
  public void writeIgnoringReset(byte[] bytes) {
    connection.writeIgnoringReset(bytes);
  }

  /** Writes the bytes in pieces of {@code piece} bytes, each flushed on its own. */
  public void writeInPieces(byte[] bytes, int piece) {
    for (int i = 0; i < bytes.length; i += piece) {
      connection.write(bytes, i, Math.min(piece, bytes.length - i));
    }
  }

  /** A masked client frame with the shortest length encoding; {@code b0} is FIN, RSV, opcode. */
  public static byte[] frame(int b0, byte[] payload) {
    int form = payload.length <= 125 ? 7 : payload.length <= 0xFFFF ? 16 : 64;
    return frame(b0, payload, true, form);
  }

  /**
   * A client frame, exactly as asked.
   *
   * @param lengthForm 7, 16 or 64: which length encoding to use (a short payload may be sent with a
   *     longer form)
   */
  public static byte[] frame(int b0, byte[] payload, boolean masked, int lengthForm) {
    ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
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
      for (int shift = 56; shift >= 0; shift -= 8) {
        f.write((int) ((long) n >>> shift));
      }
    }
    if (!masked) {
      f.writeBytes(payload);
      return f.toByteArray();
    }
    byte[] key = new byte[4];
    ThreadLocalRandom.current().nextBytes(key);
    f.writeBytes(key);
    for (int i = 0; i < n; i++) {
      f.write(payload[i] ^ key[i & 3]);
    }
    return f.toByteArray();
  }

  /** A masked frame header announcing {@code length} bytes (64-bit form), with nothing after it. */
  public static byte[] header(int b0, long length) {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write(b0);
    f.write(0x80 | 127);
    for (int shift = 56; shift >= 0; shift -= 8) {
      f.write((int) (length >>> shift));
    }
    f.writeBytes(new byte[] {1, 2, 3, 4});
    return f.toByteArray();
  }

  /** A close frame's payload: the status code, then the reason as given. */
  public static byte[] closePayload(int code, byte[] reason) {
    byte[] p = new byte[2 + reason.length];
    p[0] = (byte) (code >>> 8);
    p[1] = (byte) code;
    System.arraycopy(reason, 0, p, 2, reason.length);
    return p;
  }

  /** The next frame from the server; fails after the bounded wait. Server frames are unmasked. */
  public Frame read() {
    try {
      int b0 = readByte();
      int b1 = readByte();
      assertEquals(0, b1 & 0x80, "server frames must not be masked");
      long n = b1 & 0x7F;
      if (n == 126) {
        n = (readByte() << 8) | readByte();
      } else if (n == 127) {
        n = 0;
        for (int i = 0; i < 8; i++) {
          n = (n << 8) | readByte();
        }
      }
      if (n > 16 * 1024 * 1024) {
        fail("implausible server frame length " + n);
      }
      byte[] payload = in.readNBytes((int) n);
      if (payload.length < n) {
        throw new EOFException("connection closed inside a frame");
      }
      return new Frame(b0, payload);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException("connection closed");
    }
    return b;
  }

  /**
   * Reads the next complete text message (reassembled from its fragments) as JSON, answering
   * nothing and skipping pings and pongs. Fails when the server closes or sends binary instead.
   */
  public JsonNode readJson() {
    StringBuilder text = new StringBuilder();
    while (true) {
      Frame f = read();
      switch (f.opcode()) {
        case PING, PONG -> {}
        case CLOSE ->
            fail(
                "server closed with "
                    + f.closeCode()
                    + " instead of sending a message; received: "
                    + received);
        case TEXT, CONTINUATION -> {
          text.append(f.text());
          if (f.fin()) {
            received.add(TestJson.abbreviate(text.toString()));
            return TestJson.parse(text.toString());
          }
        }
        default -> fail("unexpected server frame opcode " + f.opcode());
      }
    }
  }

  /** Reads messages until one of {@code type} arrives, and returns it. */
  public JsonNode awaitJson(String type) {
    while (true) {
      JsonNode json = readJson();
      if (type.equals(json.path("type").asText())) {
        return json;
      }
    }
  }

  /**
   * Reads until the server's close frame and returns its code (1005 when it carries none); text
   * frames before it are skipped. Fails when the connection ends without one or stays silent.
   */
  public int awaitCloseCode() {
    try {
      while (true) {
        Frame f = read();
        if (f.opcode() == CLOSE) {
          return f.closeCode();
        }
        if (f.opcode() == TEXT) {
          received.add(TestJson.abbreviate(f.text()));
        }
      }
    } catch (UncheckedIOException e) {
      String why =
          e.getCause() instanceof SocketTimeoutException
              ? "no close frame within " + TcpConnection.READ_TIMEOUT + " ms"
              : "connection ended without a close frame";
      throw new AssertionError(why + "; received: " + received, e);
    }
  }

  /** True once the server has closed the TCP connection (EOF or reset) within the bounded wait. */
  public boolean awaitEof() {
    return connection.awaitEof();
  }

  /** Everything the server sends until it closes the connection, as raw bytes. */
  public byte[] readToEnd() {
    return connection.readToEnd();
  }

  @Override
  public void close() {
    connection.close();
  }
}
