package dev.jchat.internal.reactor;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps the open connections of one client address, so that one host cannot take every file
 * descriptor of the server. Loopback addresses are not counted: a reverse proxy on the same machine
 * (which must limit its own clients) and local load generators connect from there. Thread-safe: the
 * acceptor opens, any event loop closes.
 */
public final class AddressLimit {
  private final int max;
  private final ConcurrentHashMap<InetAddress, AtomicInteger> open = new ConcurrentHashMap<>();

  /**
   * @param max connections per address; 0 for no limit
   */
  public AddressLimit(int max) {
    this.max = max;
  }

  /** Counts a new connection from {@code address}; false (and nothing counted) past the cap. */
  boolean tryOpen(InetAddress address) {
    if (max == 0 || address == null || address.isLoopbackAddress()) {
      return true;
    }
    boolean[] admitted = {false};
    open.compute(
        address,
        (a, n) -> {
          AtomicInteger count = n == null ? new AtomicInteger() : n;
          if (count.get() < max) {
            count.incrementAndGet();
            admitted[0] = true;
          }
          return count.get() == 0 ? null : count;
        });
    return admitted[0];
  }

  /** A connection counted by {@link #tryOpen} closed. */
  void closed(InetAddress address) {
    if (max == 0 || address == null || address.isLoopbackAddress()) {
      return;
    }
    open.computeIfPresent(address, (a, n) -> n.decrementAndGet() == 0 ? null : n);
  }

  /** Addresses with open connections; for tests. */
  int trackedAddresses() {
    return open.size();
  }
}
