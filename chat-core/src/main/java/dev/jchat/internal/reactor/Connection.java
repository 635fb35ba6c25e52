package dev.jchat.internal.reactor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One TCP connection. Its socket, handler and read state belong to its {@link EventLoop}; {@link
 * #send}, {@link #sendFinal}, {@link #closeAfterFlush} and {@link #close} may be called from any
 * thread and take effect on the loop. Unsent bytes are bounded: past the limit the handler's {@link
 * ConnectionHandler#onBacklogExceeded} decides (a slow consumer is closed, never allowed to grow
 * memory). The limit counts the bytes queued ahead of a new frame, so memory per connection stays
 * below the limit plus one frame.
 */
public final class Connection {
  private final EventLoop loop;
  private final SocketChannel channel;
  private final String remoteAddress;
  private final long outboundLimit;
  private final OutboundQueue out = new OutboundQueue();
  private final AtomicBoolean flushScheduled = new AtomicBoolean();
  private final AtomicBoolean backlogReported = new AtomicBoolean();
  private volatile boolean closed;
  private volatile boolean finalQueued;

  // loop-owned
  private ConnectionHandler handler;
  private SelectionKey key;
  private ByteBuffer unwritten;
  private boolean closeWhenFlushed;
  private boolean readPaused;
  private long lastReadNanos;
  private Object attachment;
  private final Runnable released;
  private boolean wantWrite;

  Connection(
      EventLoop loop,
      SocketChannel channel,
      ConnectionHandler handler,
      long outboundLimit,
      Runnable released) {
    this.loop = loop;
    this.released = released;
    this.channel = channel;
    this.handler = handler;
    this.outboundLimit = outboundLimit;
    this.remoteAddress = addressOf(channel);
    this.lastReadNanos = System.nanoTime();
  }

  /**
   * Queues a complete frame or response for writing. The array is not copied and must not be
   * changed afterwards; it may be shared by many connections. Returns false when the connection is
   * closing or the backlog ahead of this frame passed the limit (the frame is then dropped with the
   * backlog).
   */
  public boolean send(byte[] bytes) {
    if (closed || finalQueued) {
      return false;
    }
    // The limit is on what waits ahead of this frame: a single frame bigger than the limit
    // (a catch-up the client asked for) still goes out to a peer that reads, while one that
    // does not read is caught by the next frame. So memory is bounded by limit + one frame.
    long ahead = out.offer(bytes) - bytes.length;
    if (ahead > outboundLimit) {
      if (backlogReported.compareAndSet(false, true)) {
        loop.execute(
            () -> {
              if (!closed) {
                handler.onBacklogExceeded(this);
              }
            });
      }
      return false;
    }
    loop.scheduleFlush(this);
    return true;
  }

  /**
   * Queues last words and closes once they are written: everything queued before stays, later
   * {@link #send} calls are refused. With {@code dropBacklog} the unsent backlog is discarded first
   * (a slow consumer gets its close frame without waiting behind a megabyte of chat). The handler
   * hears {@code onClosed} at once; a peer that does not take the last words within a few seconds
   * is cut off.
   */
  public void sendFinal(boolean dropBacklog, byte[]... frames) {
    loop.execute(
        () -> {
          if (closed || finalQueued) {
            return;
          }
          finalQueued = true;
          if (dropBacklog) {
            out.dropUnstarted();
          }
          for (byte[] f : frames) {
            out.offer(f);
          }
          closeWhenFlushed = true;
          loop.retire(this); // the protocol is over now, even if the peer never reads these
          loop.flushNow(this);
        });
  }

  /** Closes once everything queued so far has been written. */
  public void closeAfterFlush() {
    loop.execute(
        () -> {
          if (closed) {
            return;
          }
          finalQueued = true;
          closeWhenFlushed = true;
          loop.flushNow(this);
        });
  }

  /** Closes now, dropping whatever is unsent. Idempotent. */
  public void close() {
    if (closed) {
      return;
    }
    loop.execute(() -> loop.closeNow(this));
  }

  /** Runs a task on this connection's event loop. */
  public void execute(Runnable task) {
    loop.execute(task);
  }

  /** Stops reading from the socket (inbound backpressure). Loop thread only. */
  public void pauseReading() {
    if (readPaused || closed) {
      return;
    }
    readPaused = true;
    updateInterest();
  }

  /** Resumes reading after {@link #pauseReading}. Loop thread only. */
  public void resumeReading() {
    if (!readPaused || closed) {
      return;
    }
    readPaused = false;
    updateInterest();
  }

  /** Replaces the protocol handler (after an HTTP upgrade). Loop thread only. */
  public void setHandler(ConnectionHandler handler) {
    this.handler = handler;
  }

  public boolean isClosed() {
    return closed;
  }

  /** Runs the hook given at adoption; the loop calls it once, when the connection closed. */
  void released() {
    try {
      released.run();
    } catch (RuntimeException e) {
      // a counter that failed must not leave the connection half closed
    }
  }

  /** Bytes queued and not yet written; any thread (a moment's view). */
  public long backlogBytes() {
    return out.queuedBytes();
  }

  public String remoteAddress() {
    return remoteAddress;
  }

  /** Nanos of the last read, for idle timeouts. Loop thread only. */
  public long lastReadNanos() {
    return lastReadNanos;
  }

  /** Handler-owned state (the WebSocket session), loop thread only. */
  public Object attachment() {
    return attachment;
  }

  public void attach(Object attachment) {
    this.attachment = attachment;
  }

  // ---- loop side ----

  ConnectionHandler handler() {
    return handler;
  }

  EventLoop loop() {
    return loop;
  }

  SocketChannel channel() {
    return channel;
  }

  void registered(SelectionKey key) {
    this.key = key;
  }

  boolean readPaused() {
    return readPaused;
  }

  void markRead(long now) {
    lastReadNanos = now;
  }

  /** True while the socket is full and the loop waits for OP_WRITE. */
  boolean awaitingWritable() {
    return wantWrite;
  }

  boolean claimFlush() {
    return flushScheduled.compareAndSet(false, true);
  }

  /**
   * Writes what is waiting through the loop's shared buffer. Returns true when everything is
   * written; false when the socket is full (the loop then waits for OP_WRITE).
   */
  boolean flush(ByteBuffer buffer) throws IOException {
    flushScheduled.set(false);
    while (true) {
      buffer.clear();
      if (unwritten != null) {
        buffer.put(unwritten);
        unwritten = null;
      }
      out.drainInto(buffer);
      buffer.flip();
      if (!buffer.hasRemaining()) {
        break;
      }
      channel.write(buffer);
      if (buffer.hasRemaining()) {
        unwritten = ByteBuffer.allocate(buffer.remaining()).put(buffer).flip();
        updateInterest(true);
        return false;
      }
    }
    updateInterest(false);
    if (closeWhenFlushed) {
      loop.closeGracefully(this);
    }
    return true;
  }

  /** Marks closed and releases the socket; true the first time. */
  boolean markClosed() {
    if (closed) {
      return false;
    }
    closed = true;
    if (key != null) {
      key.cancel();
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing is best effort: the peer may already be gone
    }
    out.clear();
    unwritten = null;
    return true;
  }

  private void updateInterest(boolean write) {
    wantWrite = write;
    updateInterest();
  }

  private void updateInterest() {
    if (key == null || !key.isValid()) {
      return;
    }
    int ops = (readPaused ? 0 : SelectionKey.OP_READ) | (wantWrite ? SelectionKey.OP_WRITE : 0);
    if (key.interestOps() != ops) {
      key.interestOps(ops);
    }
  }

  private static String addressOf(SocketChannel channel) {
    try {
      return channel.getRemoteAddress() instanceof InetSocketAddress a
          ? a.getAddress().getHostAddress()
          : "unknown";
    } catch (IOException e) {
      return "unknown";
    }
  }
}
