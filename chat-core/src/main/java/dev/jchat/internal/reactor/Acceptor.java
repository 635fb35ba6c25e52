package dev.jchat.internal.reactor;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Accepts connections on its own thread (a blocking accept: it has nothing else to do) and hands
 * them to the event loops in turn. Past the connection limit it answers 503 and closes, so a
 * refused client learns why instead of hanging.
 */
public final class Acceptor {
  private static final Logger LOG = System.getLogger(Acceptor.class.getName());
  private static final String BUSY_BODY =
      "{\"error\":{\"code\":\"unavailable\",\"message\":\"too many connections\"}}";
  private static final byte[] BUSY =
      ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
              + "Connection: close\r\nContent-Length: "
              + BUSY_BODY.length()
              + "\r\n\r\n"
              + BUSY_BODY)
          .getBytes(StandardCharsets.US_ASCII);
  private static final long WARNING_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final ServerSocketChannel server;
  private final List<EventLoop> loops;
  private final Supplier<ConnectionHandler> handlers;
  private final AtomicInteger openConnections;
  private final int maxConnections;
  private final AddressLimit perAddress;
  private final Consumer<String> onRefused;
  private final long outboundLimit;
  private final Thread thread;
  private int next;
  private long lastWarning; // accept thread only

  private Acceptor(
      ServerSocketChannel server,
      List<EventLoop> loops,
      Supplier<ConnectionHandler> handlers,
      AtomicInteger openConnections,
      int maxConnections,
      AddressLimit perAddress,
      Consumer<String> onRefused,
      long outboundLimit) {
    this.server = server;
    this.loops = loops;
    this.handlers = handlers;
    this.openConnections = openConnections;
    this.maxConnections = maxConnections;
    this.perAddress = perAddress;
    this.onRefused = onRefused;
    this.outboundLimit = outboundLimit;
    this.thread = new Thread(this::run, "chat-acceptor");
  }

  /** Binds the address now (so a port in use fails here) and returns an unstarted acceptor. */
  public static Acceptor bind(
      InetSocketAddress address,
      List<EventLoop> loops,
      Supplier<ConnectionHandler> handlers,
      AtomicInteger openConnections,
      int maxConnections,
      AddressLimit perAddress,
      Consumer<String> onRefused,
      long outboundLimit)
      throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open();
    try {
      server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      server.bind(address, 4096);
    } catch (IOException e) {
      server.close();
      throw e;
    }
    return new Acceptor(
        server,
        loops,
        handlers,
        openConnections,
        maxConnections,
        perAddress,
        onRefused,
        outboundLimit);
  }

  public int port() {
    return server.socket().getLocalPort();
  }

  public void start() {
    thread.start();
  }

  /** Stops accepting; returns when the accept thread has ended. */
  public void close() {
    try {
      server.close();
      thread.join(5000);
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "closing the listening socket", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Accepts until the server socket closes. Nothing else may end this loop: a dead acceptor is a
   * server that looks alive and answers no one. (Out of file descriptors, even logging can throw an
   * Error, when the JDK first loads its time-zone file.)
   */
  private void run() {
    while (server.isOpen()) {
      try {
        handOver(server.accept());
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        // typically EMFILE: keep serving the connections we have
        warn("accept failed: " + e.getMessage(), null);
        pause();
      } catch (RuntimeException | Error e) {
        warn("accept loop error", e);
        pause();
      }
    }
  }

  /** Logs at most once per interval, and never throws: see {@link #run}. */
  private void warn(String message, Throwable error) {
    long now = System.nanoTime();
    if (lastWarning != 0 && now - lastWarning < WARNING_INTERVAL_NANOS) {
      return;
    }
    lastWarning = now;
    try {
      LOG.log(Level.WARNING, message, error);
    } catch (RuntimeException | Error ignored) {
      // the logger itself failed; accepting matters more
    }
  }

  private void handOver(SocketChannel channel) {
    if (openConnections.incrementAndGet() > maxConnections) {
      openConnections.decrementAndGet();
      onRefused.accept("connections");
      refuse(channel);
      return;
    }
    InetAddress address = addressOf(channel);
    if (!perAddress.tryOpen(address)) {
      openConnections.decrementAndGet();
      onRefused.accept("connections-per-address");
      refuse(channel);
      return;
    }
    try {
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    } catch (IOException ignored) {
      // an option we could not set is not a reason to drop the client
    }
    EventLoop loop = loops.get(next);
    next = (next + 1) % loops.size();
    loop.adopt(channel, handlers.get(), outboundLimit, () -> perAddress.closed(address));
  }

  private static InetAddress addressOf(SocketChannel channel) {
    try {
      return channel.getRemoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static void refuse(SocketChannel channel) {
    try (channel) {
      channel.configureBlocking(false);
      channel.write(ByteBuffer.wrap(BUSY));
    } catch (IOException ignored) {
      // refusing is best effort
    }
  }

  private static void pause() {
    try {
      Thread.sleep(50); // back off from a failing accept instead of spinning
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
