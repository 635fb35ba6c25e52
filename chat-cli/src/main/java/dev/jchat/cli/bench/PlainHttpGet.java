package dev.jchat.cli.bench;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One keep-alive HTTP/1.1 connection that sends GET requests and reads answers framed by {@code
 * Content-Length}, blocking, on its caller's thread. The load generator's REST client: the JDK's
 * HttpClient cost the bench more CPU per request than the server spent answering it, so REST
 * figures measured the client (docs/performance.md). Not thread-safe: one per reading thread.
 */
final class PlainHttpGet implements Closeable {
  /** An answer: its status and body. */
  record Answer(int status, byte[] body) {}

  private static final int MAX_HEAD = 64 * 1024;
  private static final int MAX_BODY = 16 * 1024 * 1024;

  private final InetSocketAddress server;
  private final String host;
  private final int timeoutMillis;
  private Socket socket; // null until connected, and again after an answer that closes it
  private InputStream in;
  private OutputStream out;

  PlainHttpGet(InetSocketAddress server, String host, Duration timeout) {
    this.server = server;
    this.host = host;
    this.timeoutMillis = Math.toIntExact(timeout.toMillis());
  }

  /**
   * Sends {@code GET target} and reads the whole answer; connects first when needed.
   *
   * @param authorization the {@code Authorization} header's value, nullable
   * @throws IOException when the connection fails or the answer is not HTTP/1.1 as expected; the
   *     connection is closed then, and the next call opens a new one
   */
  Answer get(String target, String authorization) throws IOException {
    try {
      if (socket == null) {
        connect();
      }
      String request =
          "GET "
              + target
              + " HTTP/1.1\r\nHost: "
              + host
              + "\r\n"
              + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
              + "\r\n";
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return readAnswer();
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private void connect() throws IOException {
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.setSoTimeout(timeoutMillis);
    s.connect(server, timeoutMillis);
    socket = s;
    in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
    out = s.getOutputStream();
  }

  private Answer readAnswer() throws IOException {
    String raw = readHead();
    ResponseHead head = ResponseHead.parse(raw);
    if (head == null) {
      throw new IOException("not an HTTP answer: " + raw.lines().findFirst().orElse(""));
    }
    if (head.header("transfer-encoding") != null) {
      throw new IOException("chunked answers are not read by this client");
    }
    String contentLength = head.header("content-length");
    long length;
    int code;
    try {
      length = contentLength == null ? -1 : Long.parseLong(contentLength);
      code = Integer.parseInt(head.status());
    } catch (NumberFormatException e) {
      throw new IOException("not an HTTP answer: " + e.getMessage(), e);
    }
    boolean closes = "close".equalsIgnoreCase(head.header("connection"));
    if (length < 0 || length > MAX_BODY) {
      throw new IOException("answer without a usable Content-Length: " + length);
    }
    byte[] body = in.readNBytes((int) length);
    if (body.length < length) {
      throw new EOFException("answer cut short");
    }
    if (closes) {
      close();
    }
    return new Answer(code, body);
  }

  /** The head up to (without) the blank line. */
  private String readHead() throws IOException {
    StringBuilder head = new StringBuilder(256);
    int last4 = 0; // the last four bytes read, to see "\r\n\r\n"
    while (last4 != 0x0D0A0D0A) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed before an answer");
      }
      if (head.length() >= MAX_HEAD) {
        throw new IOException("answer head over " + MAX_HEAD + " bytes");
      }
      head.append((char) b);
      last4 = (last4 << 8) | b;
    }
    return head.substring(0, head.length() - 4);
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // gone either way
      }
    }
    socket = null;
  }
}
