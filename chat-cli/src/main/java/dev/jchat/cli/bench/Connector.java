package dev.jchat.cli.bench;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Opens a loop's connections at its share of the connect rate, in order, and fails those not joined
 * within the connect timeout. Since every client gets the same timeout, the clients in their
 * handshake, kept oldest first, are also ordered by deadline. Owned by the loop thread.
 */
final class Connector {
  private final BenchConfig config;
  private final ClientReactions reactions;
  private final List<BenchClient> clients;
  private final Selector selector;
  private final List<InetSocketAddress> addresses;
  private final double intervalNanos;
  private final long timeoutNanos;
  private final ArrayDeque<BenchClient> handshaking = new ArrayDeque<>();
  private int started;

  Connector(
      BenchConfig config,
      ClientReactions reactions,
      List<BenchClient> clients,
      Selector selector,
      List<InetSocketAddress> addresses) {
    this.config = config;
    this.reactions = reactions;
    this.clients = clients;
    this.selector = selector;
    this.addresses = addresses;
    this.intervalNanos = 1e9 * config.threads() / config.connectRate();
    this.timeoutNanos = config.connectTimeout().toNanos();
  }

  /** The k-th member of each room goes to node {@code k % nodes}: every room spans the nodes. */
  private InetSocketAddress addressOf(BenchClient c) {
    int k = c.index / config.rooms();
    return addresses.get(k % addresses.size());
  }

  /** Starts the connections due by {@code now}, then fails the handshakes past their deadline. */
  void tick(long now) {
    while (started < clients.size() && dueTime(started) <= now) {
      BenchClient c = clients.get(started++);
      handshaking.addLast(c);
      reactions.opened();
      try {
        c.connect(selector, addressOf(c), now + timeoutNanos);
      } catch (IOException e) {
        reactions.fail(c, failure(e));
      }
    }
    while (!handshaking.isEmpty()) {
      BenchClient c = handshaking.peekFirst();
      if (c.state >= BenchClient.JOINED) {
        handshaking.pollFirst(); // joined, or closed already
      } else if (c.deadline <= now) {
        handshaking.pollFirst();
        reactions.fail(c, "timeout");
      } else {
        return;
      }
    }
  }

  /** When {@link #tick} next has something to do; Long.MAX_VALUE if never. */
  long nextDue() {
    long next = Long.MAX_VALUE;
    if (started < clients.size()) {
      next = dueTime(started);
    }
    if (!handshaking.isEmpty()) {
      next = Math.min(next, handshaking.peekFirst().deadline);
    }
    return next;
  }

  /** Stops connecting for good. */
  void stop() {
    started = clients.size();
    handshaking.clear();
  }

  private long dueTime(int k) {
    return (long) (k * intervalNanos);
  }

  /** A short reason for a failure while connecting. */
  static String failure(IOException e) {
    return e instanceof ConnectException ? "connect_refused" : "connect_error";
  }
}
