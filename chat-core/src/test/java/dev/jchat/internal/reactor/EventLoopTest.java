package dev.jchat.internal.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventLoopTest {
  private final AtomicInteger open = new AtomicInteger();
  private EventLoop loop;
  private ServerSocketChannel server;

  @BeforeEach
  void start() throws IOException {
    loop = new EventLoop("test-loop", open);
    loop.start();
    server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
  }

  @AfterEach
  void stop() throws IOException {
    loop.stop(5, TimeUnit.SECONDS);
    server.close();
  }

  /** Connections the echo handlers served, in the order of their first read. */
  private final BlockingQueue<Connection> served = new LinkedBlockingQueue<>();

  /** Echoes every read back, or throws an Error when asked to. */
  private final class Echo implements ConnectionHandler {
    @Override
    public void onRead(Connection c, ByteBuffer data) {
      if (c.attachment() == null) {
        c.attach(Boolean.TRUE);
        served.add(c);
      }
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      if (new String(bytes, StandardCharsets.US_ASCII).startsWith("boom")) {
        throw new AssertionError("a handler bug");
      }
      c.send(bytes);
    }

    @Override
    public void onTick(Connection c, long nowNanos) {}

    @Override
    public void onClosed(Connection c) {}
  }

  private Socket connect() throws IOException {
    Socket client = new Socket("127.0.0.1", server.socket().getLocalPort());
    client.setSoTimeout(10_000);
    SocketChannel accepted = server.accept();
    open.incrementAndGet();
    loop.adopt(accepted, new Echo(), 1 << 20);
    return client;
  }

  @Test
  void framesQueuedInsideAFlushBatchAreWrittenOnceItEnds() throws IOException {
    try (Socket a = connect();
        Socket b = connect()) {
      // a first echo on each tells us its Connection; then we queue from outside the loop
      a.getOutputStream().write("a".getBytes(StandardCharsets.US_ASCII));
      assertEquals('a', a.getInputStream().read());
      b.getOutputStream().write("b".getBytes(StandardCharsets.US_ASCII));
      assertEquals('b', b.getInputStream().read());
      Connection[] conns = {served.remove(), served.remove()};

      FlushBatch.run(
          () -> {
            conns[0].send("ack".getBytes(StandardCharsets.US_ASCII));
            conns[1].send("msg".getBytes(StandardCharsets.US_ASCII));
            conns[0].send("msg".getBytes(StandardCharsets.US_ASCII));
          });

      assertEquals(
          "ackmsg", new String(a.getInputStream().readNBytes(6), StandardCharsets.US_ASCII));
      assertEquals("msg", new String(b.getInputStream().readNBytes(3), StandardCharsets.US_ASCII));
    }
  }

  @Test
  void anErrorInOneConnectionsHandlerClosesThatConnectionAndTheLoopGoesOn() throws IOException {
    try (Socket faulty = connect();
        Socket healthy = connect()) {
      OutputStream out = faulty.getOutputStream();
      out.write("boom".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertEquals(-1, faulty.getInputStream().read(), "the faulty connection is closed");

      healthy.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
      InputStream in = healthy.getInputStream();
      byte[] echoed = in.readNBytes(4);
      assertEquals("ping", new String(echoed, StandardCharsets.US_ASCII), "the loop still serves");
    }
  }
}
