package dev.jchat.cli.bench;

import java.util.List;

/**
 * What happens on a client's connection means for the run: a server frame, the server's close, a
 * lost or failed connection. It moves the client through its states, counts joins, failures,
 * deliveries and their latency, and hands replies to the {@link Senders}. It keeps the counts that
 * the loop publishes: clients settled (joined or failed) and sockets open. Owned by the loop
 * thread.
 */
final class ClientReactions {
  private final RunControl control;
  private final LoopStats stats;
  private final Senders senders;

  /** Members joined per room, fixed once frozen. */
  private final int[] joinedPerRoom;

  private long settled;
  private long open;
  private boolean frozen;

  /** When the socket being read was read, on the run's clock. */
  private long readTime;

  ClientReactions(RunControl control, LoopStats stats, Senders senders, int[] joinedPerRoom) {
    this.control = control;
    this.stats = stats;
    this.senders = senders;
    this.joinedPerRoom = joinedPerRoom;
  }

  /** Clients joined or given up on. */
  long settled() {
    return settled;
  }

  /** Clients whose socket is open or opening. */
  long open() {
    return open;
  }

  /** Stops counting joins: clients not joined yet count as failures. */
  void freeze(List<BenchClient> clients) {
    frozen = true;
    for (BenchClient c : clients) {
      if (c.state == BenchClient.NEW) {
        stats.failure("not_started");
      } else if (c.state < BenchClient.JOINED) {
        fail(c, "timeout");
      }
    }
  }

  /** The loop is about to read a socket, at {@code now} on the run's clock. */
  void reading(long now) {
    readTime = now;
  }

  /** A client started connecting. */
  void opened() {
    open++;
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
  void lost(BenchClient c, String reason) {
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

  /** Closes a client's socket at once, without counting a failure. */
  void close(BenchClient c) {
    if (c.state != BenchClient.CLOSED && c.state != BenchClient.NEW) {
      open--;
    }
    if (c.state == BenchClient.JOINED && !frozen) {
      joinedPerRoom[c.room]--; // a member gone before sending starts receives nothing
    }
    c.closeNow();
  }
}
