package dev.jchat.internal.reactor;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One thread and one {@link Selector}, owning a set of connections: only this thread reads, writes
 * or closes their sockets. Other threads hand it work through {@link #execute} and {@link
 * #scheduleFlush}, which wake the selector at most once per loop iteration, so a burst of fan-out
 * to many connections costs one wakeup. A failure on one connection closes that connection; the
 * loop goes on.
 */
public final class EventLoop {
  private static final Logger LOG = System.getLogger(EventLoop.class.getName());
  private static final int BUFFER_SIZE = 64 * 1024;
  private static final int READS_PER_WAKEUP = 4;
  private static final long TICK_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Selector selector;
  private final Thread thread;
  private final AtomicInteger openConnections;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Connection> flushes = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean sleeping = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
  private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
  private final Set<Connection> connections = new HashSet<>();
  private volatile boolean running = true;
  private long nextTick = System.nanoTime() + TICK_NANOS;

  /**
   * @param openConnections shared count of open connections across loops, decremented here on close
   *     (the acceptor increments it)
   */
  public EventLoop(String name, AtomicInteger openConnections) throws IOException {
    this.selector = Selector.open();
    this.openConnections = openConnections;
    this.thread = new Thread(this::run, name);
  }

  public void start() {
    thread.start();
  }

  /** Takes over an accepted socket; any thread. */
  public void adopt(SocketChannel channel, ConnectionHandler handler, long outboundLimit) {
    adopt(channel, handler, outboundLimit, () -> {});
  }

  /**
   * Takes over an accepted socket; any thread. {@code released} runs once on this loop when the
   * connection is closed.
   */
  public void adopt(
      SocketChannel channel, ConnectionHandler handler, long outboundLimit, Runnable released) {
    execute(() -> register(channel, handler, outboundLimit, released));
  }

  /** Runs a task on this loop's thread, soon. Any thread. */
  public void execute(Runnable task) {
    tasks.add(task);
    wakeup();
  }

  /** Asks the loop to write what the connection has queued. Any thread. */
  void scheduleFlush(Connection c) {
    if (c.claimFlush() && !FlushBatch.defer(c)) {
      flushes.add(c);
      wakeup();
    }
  }

  /** Queues a flush without waking the loop; {@link FlushBatch} wakes it once afterwards. */
  void enqueueFlush(Connection c) {
    flushes.add(c);
  }

  void wake() {
    wakeup();
  }

  /** Stops after closing every connection; waits up to the given time for the thread. */
  public void stop(long timeout, TimeUnit unit) {
    running = false;
    selector.wakeup();
    try {
      if (!stopped.await(timeout, unit)) {
        LOG.log(Level.WARNING, thread.getName() + " did not stop in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void wakeup() {
    if (sleeping.compareAndSet(true, false)) {
      selector.wakeup();
    }
  }

  private void run() {
    try {
      while (running) {
        select();
        processSelectedKeys();
        runTasks();
        runFlushes();
        tickIfDue();
      }
    } catch (ClosedSelectorException e) {
      // stopping
    } catch (Throwable t) {
      LOG.log(Level.ERROR, thread.getName() + " died", t);
    } finally {
      for (Connection c : new ArrayList<>(connections)) {
        closeNow(c);
      }
      runTasks();
      try {
        selector.close();
      } catch (IOException ignored) {
        // nothing left to release
      }
      stopped.countDown();
    }
  }

  private void select() throws IOException {
    if (!tasks.isEmpty() || !flushes.isEmpty()) {
      selector.selectNow();
      return;
    }
    sleeping.set(true);
    // re-check after announcing sleep: a producer that queued in between saw sleeping=false
    if (!tasks.isEmpty() || !flushes.isEmpty()) {
      sleeping.set(false);
      selector.selectNow();
      return;
    }
    long waitMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextTick - System.nanoTime()));
    selector.select(waitMillis);
    sleeping.set(false);
  }

  private void processSelectedKeys() {
    Set<SelectionKey> keys = selector.selectedKeys();
    if (keys.isEmpty()) {
      return;
    }
    Iterator<SelectionKey> it = keys.iterator();
    while (it.hasNext()) {
      SelectionKey key = it.next();
      it.remove();
      Connection c = (Connection) key.attachment();
      try {
        if (!key.isValid()) {
          continue;
        }
        if (key.isWritable()) {
          c.flush(writeBuffer);
        }
        if (key.isValid() && key.isReadable()) {
          read(c);
        }
      } catch (IOException e) {
        closeNow(c); // the peer went away; nothing to report
      } catch (RuntimeException | Error e) { // one connection's failure must not end the loop
        LOG.log(Level.WARNING, "closing a connection after an unexpected error", e);
        closeNow(c);
      }
    }
  }

  private void read(Connection c) throws IOException {
    for (int i = 0; i < READS_PER_WAKEUP && !c.isClosed() && !c.readPaused(); i++) {
      readBuffer.clear();
      int n = c.channel().read(readBuffer);
      if (n < 0) {
        closeNow(c);
        return;
      }
      if (n == 0) {
        return;
      }
      c.markRead(System.nanoTime());
      readBuffer.flip();
      c.handler().onRead(c, readBuffer);
      if (n < BUFFER_SIZE) {
        return;
      }
    }
  }

  private void runTasks() {
    Runnable task;
    while ((task = tasks.poll()) != null) {
      try {
        task.run();
      } catch (RuntimeException | Error e) { // one connection's failure must not end the loop
        LOG.log(Level.WARNING, "event-loop task failed", e);
      }
    }
  }

  private void runFlushes() {
    Connection c;
    while ((c = flushes.poll()) != null) {
      flushNow(c);
    }
  }

  /** Writes what the connection has queued, unless the socket is known to be full. */
  void flushNow(Connection c) {
    if (c.isClosed() || c.awaitingWritable()) {
      return;
    }
    try {
      c.flush(writeBuffer);
    } catch (IOException e) {
      closeNow(c);
    }
  }

  private void tickIfDue() {
    long now = System.nanoTime();
    if (now - nextTick < 0) {
      return;
    }
    nextTick = now + TICK_NANOS;
    for (Connection c : new ArrayList<>(connections)) {
      try {
        c.handler().onTick(c, now);
      } catch (RuntimeException | Error e) { // one connection's failure must not end the loop
        LOG.log(Level.WARNING, "closing a connection after a timer error", e);
        closeNow(c);
      }
    }
  }

  private void register(
      SocketChannel channel, ConnectionHandler handler, long outboundLimit, Runnable released) {
    Connection c = new Connection(this, channel, handler, outboundLimit, released);
    try {
      channel.configureBlocking(false);
      c.registered(channel.register(selector, SelectionKey.OP_READ, c));
      connections.add(c);
    } catch (IOException e) {
      c.markClosed();
      openConnections.decrementAndGet();
      c.released();
    }
  }

  /**
   * Ends the protocol (its handler hears {@code onClosed}) while last words may still be written;
   * from here the connection lingers (see {@link Lingering}).
   */
  void retire(Connection c) {
    if (c.isClosed() || c.handler() instanceof Lingering) {
      return;
    }
    ConnectionHandler protocol = c.handler();
    c.setHandler(new Lingering(System.nanoTime(), protocol));
    try {
      protocol.onClosed(c);
    } catch (RuntimeException | Error e) {
      LOG.log(Level.WARNING, "connection close handler failed", e);
    }
  }

  /** Half-closes after the last bytes went out, then lingers (see {@link Lingering}). */
  void closeGracefully(Connection c) {
    if (c.isClosed()) {
      return;
    }
    try {
      c.channel().shutdownOutput();
    } catch (IOException e) {
      closeNow(c);
      return;
    }
    retire(c);
  }

  void closeNow(Connection c) {
    if (!c.markClosed()) {
      return;
    }
    connections.remove(c);
    openConnections.decrementAndGet();
    c.released();
    try {
      c.handler().onClosed(c);
    } catch (RuntimeException | Error e) {
      LOG.log(Level.WARNING, "connection close handler failed", e);
    }
  }
}
