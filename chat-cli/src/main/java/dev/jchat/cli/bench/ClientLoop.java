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
 * One selector thread driving a share of the clients: each turn it lets the {@link Connector}
 * connect and the {@link Senders} send what is due, flushes, and waits for its sockets, handing
 * what they report to its {@link ClientReactions}. Only this thread touches its selector and its
 * clients. The run steers it through {@link RunControl} and {@link #wakeup()}, reads {@link
 * #progress} while it runs, and reads {@link #stats} and {@link #joinedPerRoom} once it has ended
 * or frozen.
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
  final ClientReactions reactions;

  /** Written before this loop counts down {@link RunControl#frozen}. */
  final int[] joinedPerRoom;

  private final Selector selector;
  private final List<BenchClient> clients = new ArrayList<>();
  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
  private final List<BenchClient> dirty = new ArrayList<>();
  private final Connector connector;
  private final Senders senders;

  private boolean frozen;
  private boolean closing;

  private volatile Throwable crash;

  ClientLoop(int id, RunControl control, List<InetSocketAddress> addresses) throws IOException {
    this.config = control.config;
    this.control = control;
    this.frames =
        new ClientFrames(control.rooms, config.payload(), System.nanoTime() + id, config.refs());
    this.joinedPerRoom = new int[config.rooms()];
    this.selector = Selector.open();
    this.senders = new Senders(this, control, stats);
    this.reactions = new ClientReactions(control, stats, senders, joinedPerRoom);
    this.connector = new Connector(config, reactions, clients, selector, addresses);
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
        reactions.close(c);
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
      if (reactions.open() == 0 || now >= control.closeDeadline) {
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
    reactions.freeze(clients);
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
        reactions.reading(control.clock());
        if (!c.onReadable(readBuffer)) {
          reactions.lost(c, "eof");
        }
      }
    } catch (IOException e) {
      if (c.state == BenchClient.CONNECTING) {
        reactions.fail(c, Connector.failure(e));
      } else {
        reactions.lost(c, "io_error");
      }
    } catch (FrameException e) {
      reactions.fail(c, "ws_" + e.closeCode());
    }
  }

  private void flushDirty() {
    for (int i = 0; i < dirty.size(); i++) {
      BenchClient c = dirty.get(i);
      try {
        c.flush();
      } catch (IOException e) {
        reactions.lost(c, "io_error");
      }
    }
    dirty.clear();
  }

  private void publish(long turnStart) {
    progress.lazySet(SETTLED, reactions.settled());
    progress.lazySet(SENT, stats.sent);
    long answered = senders.releaseOnEcho() ? stats.echoed : stats.acked;
    progress.lazySet(REPLIED, answered + stats.rejected);
    progress.lazySet(DELIVERED, stats.delivered);
    progress.lazySet(EXPECTED, stats.expected);
    progress.lazySet(OPEN, reactions.open());
    progress.lazySet(TURN, turnStart);
  }

  /** Called by a client that queued bytes; they are flushed at the end of the turn. */
  void dirty(BenchClient c) {
    dirty.add(c);
  }
}
