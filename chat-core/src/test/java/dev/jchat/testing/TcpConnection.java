package dev.jchat.testing;

import java.io.BufferedInputStream;
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

/**
 * A plain TCP connection to a server on loopback, under {@link RawHttp} and {@link RawWebSocket}:
 * reads wait at most {@link #READ_TIMEOUT} (SO_TIMEOUT), and I/O failures surface as {@link
 * UncheckedIOException}.
 */
final class TcpConnection implements AutoCloseable {
  /** How long a read waits for the server before the test fails, in milliseconds. */
  static final int READ_TIMEOUT = 20_000;

  final InputStream in;
  private final Socket socket;
  private final OutputStream out;

  private TcpConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /**
   * @param localAddress the loopback address to connect from (127.0.0.2 and so on), or null
   * @param receiveBuffer SO_RCVBUF to ask for before connecting, or 0 for the default
   */
  static TcpConnection open(int port, String localAddress, int receiveBuffer) {
    try {
      Socket socket = new Socket();
      if (localAddress != null) {
        socket.bind(new InetSocketAddress(localAddress, 0));
      }
      if (receiveBuffer > 0) {
        socket.setReceiveBufferSize(receiveBuffer);
      }
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(READ_TIMEOUT);
      socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      return new TcpConnection(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void write(byte[] bytes) {
    write(bytes, 0, bytes.length);
  }

  void write(byte[] bytes, int offset, int length) {
    try {
      out.write(bytes, offset, length);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Like {@link #write} but tolerates the server closing the connection before it read all. */
  void writeIgnoringReset(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException closedEarly) {
      // the server may fail the connection as soon as it has seen enough
    }
  }

  /** Reads an HTTP response head byte by byte, so nothing after it is consumed. */
  String readHead() {
    try {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0; // how much of CR LF CR LF the last bytes were
      while (matched < 4) {
        int b = in.read();
        if (b < 0) {
          throw new EOFException("connection closed in the response head: " + head);
        }
        head.write(b);
        matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
      }
      return head.toString(StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Everything the server sends until it closes the connection. */
  byte[] readToEnd() {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** True once the server has closed the connection (EOF or reset) within the bounded wait. */
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
