package dev.jchat.cli.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One selector thread driving a share of the clients: it opens their connections at its share of
 * the connect rate, runs their handshakes, lets {@link Senders} send, and counts what arrives. Only
 * this thread touches its selector and its clients. The run steers it through {@link RunControl}
 * and {@link #wakeup()}, reads {@link #progress} while it runs, and reads {@link #stats} and {@link
 * #joinedPerRoom} once it has ended or frozen.
 */
final class ClientLoop implements Runnable {
  /** Indexes of {@link #progress}, published once per turn of the loop. */
  static final int SETTLED = 0;

  static final int SENT = 1;
  static final int REPLIED = 2;
  static final int DELIVERED = 3;
  static final int EXPECTED = 4;
  static final int OPEN = 5;

  /**
   * When the published turn began, written last: once it is past a time, every send stamped before
   * that time is in the counts read after it.
   */
  static final int TURN = 6;

  private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  final BenchConfig config;
  final RunControl control;
  final ClientFrames frames;
  final LoopStats stats = new LoopStats();
  final AtomicLongArray progress = new AtomicLongArray(7);

  /** Written before this loop counts down {@link RunControl#frozen}. */
  final int[] joinedPerRoom;

  private final Selector selector;
  private final List<BenchClient> clients = new ArrayList<>();
  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
  private final List<BenchClient> dirty = new ArrayList<>();
  private final Connector connector;
  private final Senders senders;

  private long settled;
  private long open;
  private boolean frozen;
  private boolean closing;

  /** When the socket being read was read, on the run's clock. */
  private long readTime;

  private volatile Throwable crash;

  ClientLoop(int id, RunControl control, InetSocketAddress address) throws IOException {
    this.config = control.config;
    this.control = control;
    this.frames = new ClientFrames(control.rooms, config.payload(), System.nanoTime() + id);
    this.joinedPerRoom = new int[config.rooms()];
    this.selector = Selector.open();
    this.connector = new Connector(this, clients, selector, address);
    this.senders = new Senders(this, control, stats);
  }

  /** Adds a client before the loop runs; clients connect in the order added. */
  BenchClient add(int index, int room, boolean sender, String token) {
    BenchClient c = new BenchClient(index, room, sender, token, this);
    clients.add(c);
    return c;
  }

  void wakeup() {
    selector.wakeup();
  }

  /** What stopped the loop early, or null. */
  Throwable crash() {
    return crash;
  }

  @Override
  public void run() {
    try {
      while (turn()) {
        // every turn does its own work
      }
    } catch (Throwable t) {
      crash = t;
    } finally {
      for (BenchClient c : clients) {
        close(c);
      }
      publish(Long.MAX_VALUE);
      if (!frozen) {
        control.frozen.countDown();
      }
      try {
        selector.close();
      } catch (IOException e) {
        // The loop is over either way.
      }
    }
  }

  /** One turn: due work, flush, wait for the sockets; false once closing is done. */
  private boolean turn() throws IOException {
    long now = control.clock();
    if (control.closing()) {
      if (!closing) {
        closing = true;
        for (BenchClient c : clients) {
          c.startClosing();
        }
      }
      if (open == 0 || now >= control.closeDeadline) {
        return false;
      }
    } else {
      if (!frozen && control.frozenAsked()) {
        freeze();
      } else if (!frozen) {
        connector.tick(now);
      }
      senders.tick(now);
    }
    flushDirty();
    publish(now);
    long wait = nextWakeup(now) - now;
    if (wait <= 0) {
      selector.selectNow(this::onKey);
    } else {
      selector.select(this::onKey, TimeUnit.NANOSECONDS.toMillis(wait + 999_999));
    }
    flushDirty();
    return true;
  }

  /** Stops connecting: clients not joined yet count as failures. */
  private void freeze() {
    frozen = true;
    for (BenchClient c : clients) {
      if (c.state == BenchClient.NEW) {
        stats.failure("not_started");
      } else if (c.state < BenchClient.JOINED) {
        fail(c, "timeout");
      }
    }
    connector.stop();
    control.frozen.countDown();
  }

  private long nextWakeup(long now) {
    long next = now + MAX_WAIT_NANOS;
    if (closing) {
      return Math.min(next, control.closeDeadline);
    }
    if (!frozen) {
      next = Math.min(next, connector.nextDue());
    }
    return Math.min(next, senders.nextDue(now));
  }

  private void onKey(SelectionKey key) {
    BenchClient c = (BenchClient) key.attachment();
    try {
      int ready = key.readyOps();
      if ((ready & SelectionKey.OP_CONNECT) != 0) {
        c.onConnectable();
      }
      if ((ready & SelectionKey.OP_WRITE) != 0 && c.state != BenchClient.CLOSED) {
        c.onWritable();
      }
      if ((ready & SelectionKey.OP_READ) != 0 && c.state != BenchClient.CLOSED) {
        readTime = control.clock();
        if (!c.onReadable(readBuffer)) {
          lost(c, "eof");
        }
      }
    } catch (IOException e) {
      if (c.state == BenchClient.CONNECTING) {
        fail(c, Connector.failure(e));
      } else {
        lost(c, "io_error");
      }
    } catch (FrameException e) {
      fail(c, "ws_" + e.closeCode());
    }
  }

  private void flushDirty() {
    for (int i = 0; i < dirty.size(); i++) {
      BenchClient c = dirty.get(i);
      try {
        c.flush();
      } catch (IOException e) {
        lost(c, "io_error");
      }
    }
    dirty.clear();
  }

  private void publish(long turnStart) {
    progress.lazySet(SETTLED, settled);
    progress.lazySet(SENT, stats.sent);
    long answered = senders.releaseOnEcho() ? stats.echoed : stats.acked;
    progress.lazySet(REPLIED, answered + stats.rejected);
    progress.lazySet(DELIVERED, stats.delivered);
    progress.lazySet(EXPECTED, stats.expected);
    progress.lazySet(OPEN, open);
    progress.lazySet(TURN, turnStart);
  }

  // Called back by the clients.

  /** A client started connecting. */
  void opened() {
    open++;
  }

  void dirty(BenchClient c) {
    dirty.add(c);
  }

  void onText(BenchClient c, byte[] f) {
    if (c.state == BenchClient.CLOSED) {
      return;
    }
    switch (FrameScanner.type(f)) {
      case FrameScanner.MESSAGE:
        onMessage(c, f);
        break;
      case FrameScanner.ACK:
        if (c.sender && c.state == BenchClient.JOINED) {
          senders.onReply(c, true);
        }
        break;
      case FrameScanner.ERROR:
        onError(c, FrameScanner.stringField(f, "code"));
        break;
      case FrameScanner.WELCOME:
        if (c.state == BenchClient.HELLO) {
          c.sendJoin();
        }
        break;
      case FrameScanner.JOINED:
        if (c.state == BenchClient.JOINING) {
          joined(c);
        }
        break;
      default:
        break;
    }
  }

  private void onMessage(BenchClient c, byte[] f) {
    stats.received++;
    long stamp = FrameScanner.stamp(f);
    if (stamp >= 0 && control.sendStart() >= 0 && control.measured(stamp)) {
      stats.delivered++;
      stats.latency.record((readTime - stamp) / 1000);
    }
    if (c.sender && senders.releaseOnEcho() && FrameScanner.sender(f) == c.index) {
      senders.onEcho(c, stamp);
    }
  }

  private void onError(BenchClient c, String code) {
    stats.error(code);
    if (c.state == BenchClient.HELLO) {
      fail(c, "hello_" + code);
    } else if (c.state == BenchClient.JOINING) {
      fail(c, "join_" + code);
    } else if (c.sender && c.state == BenchClient.JOINED) {
      senders.onReply(c, false);
    }
  }

  private void joined(BenchClient c) {
    c.state = BenchClient.JOINED;
    settled++;
    stats.connected++;
    joinedPerRoom[c.room]++;
    if (c.sender) {
      senders.add(c);
    }
  }

  void onServerClose(BenchClient c, int code) {
    if (c.state == BenchClient.CLOSING) {
      close(c);
    } else if (c.state < BenchClient.JOINED) {
      fail(c, "closed_" + code);
    } else {
      stats.close(code);
      close(c);
    }
  }

  /** The connection ended without a close frame. */
  private void lost(BenchClient c, String reason) {
    if (c.state == BenchClient.JOINED) {
      stats.close(1006);
      close(c);
    } else {
      fail(c, reason);
    }
  }

  /** Gives up on a client, counting a failure unless it was closing anyway. */
  void fail(BenchClient c, String reason) {
    if (c.state == BenchClient.CLOSED) {
      return;
    }
    if (c.state != BenchClient.CLOSING) {
      stats.failure(reason);
      if (c.state < BenchClient.JOINED) {
        settled++;
      }
    }
    close(c);
  }

  private void close(BenchClient c) {
    if (c.state != BenchClient.CLOSED && c.state != BenchClient.NEW) {
      open--;
    }
    if (c.state == BenchClient.JOINED && !frozen) {
      joinedPerRoom[c.room]--; // a member gone before sending starts receives nothing
    }
    c.closeNow();
  }
}
