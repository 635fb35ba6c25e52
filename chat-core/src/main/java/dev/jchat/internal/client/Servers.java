package dev.jchat.internal.client;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The servers a client may use, all serving one chat (nodes on one shared store), and which of them
 * is current. Every call starts at the current server and tries the others in list order after it,
 * each once (round robin); the first that serves becomes current. A server that failed stops being
 * current only if it still was, so concurrent failures move the client on once. Thread-safe
 * (lock-free).
 */
public final class Servers {
  private final List<URI> bases;
  private final AtomicInteger current = new AtomicInteger();

  /**
   * @param bases each server's base address, like {@code http://localhost:5200}; at least one
   */
  public Servers(List<URI> bases) {
    if (bases.isEmpty()) {
      throw new IllegalArgumentException("no server given");
    }
    this.bases = List.copyOf(bases);
  }

  /**
   * Parses {@code host:port}, {@code host} (with {@code defaultPort}) or {@code [v6 address]:port}
   * into a base address.
   *
   * @throws IllegalArgumentException when it is none of these
   */
  public static URI parse(String hostPort, int defaultPort) {
    String s = hostPort.strip();
    String host;
    String port;
    if (s.startsWith("[")) {
      int end = s.indexOf(']');
      if (end < 0) {
        throw new IllegalArgumentException("no ']' in the server address '" + hostPort + "'");
      }
      host = s.substring(0, end + 1);
      String rest = s.substring(end + 1);
      if (!rest.isEmpty() && !rest.startsWith(":")) {
        throw new IllegalArgumentException("not host:port: '" + hostPort + "'");
      }
      port = rest.isEmpty() ? null : rest.substring(1);
    } else {
      int colon = s.indexOf(':');
      if (colon >= 0 && s.indexOf(':', colon + 1) >= 0) {
        host = "[" + s + "]"; // a bare IPv6 address, no port
        port = null;
      } else {
        host = colon < 0 ? s : s.substring(0, colon);
        port = colon < 0 ? null : s.substring(colon + 1);
      }
    }
    if (host.isEmpty() || host.equals("[]")) {
      throw new IllegalArgumentException("no host in the server address '" + hostPort + "'");
    }
    return URI.create("http://" + host + ":" + portNumber(port, defaultPort, hostPort));
  }

  private static int portNumber(String port, int defaultPort, String hostPort) {
    if (port == null) {
      return defaultPort;
    }
    try {
      int p = Integer.parseInt(port);
      if (p >= 1 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException(
        "the port in '" + hostPort + "' must be a number from 1 to 65535");
  }

  /** Every server, in the order given. */
  public List<URI> all() {
    return bases;
  }

  /** The server the next call starts at. */
  public URI current() {
    return bases.get(current.get());
  }

  /** The order in which a call tries the servers: the current one, then the ones after it. */
  public List<URI> attemptOrder() {
    int start = current.get();
    List<URI> order = new ArrayList<>(bases.size());
    for (int i = 0; i < bases.size(); i++) {
      order.add(bases.get((start + i) % bases.size()));
    }
    return order;
  }

  /** {@code base} served a call: it is current from now on. */
  public void served(URI base) {
    int i = bases.indexOf(base);
    if (i >= 0) {
      current.set(i);
    }
  }

  /** {@code base} failed: if it is still current, the next one in the list becomes current. */
  public void failed(URI base) {
    int i = bases.indexOf(base);
    if (i >= 0) {
      current.compareAndSet(i, (i + 1) % bases.size());
    }
  }

  /** For messages: {@code any of http://a:5200, http://b:5200}, or the one server's address. */
  public String anyOf() {
    if (bases.size() == 1) {
      return bases.get(0).toString();
    }
    List<String> names = new ArrayList<>();
    for (URI base : bases) {
      names.add(base.toString());
    }
    return "any of " + String.join(", ", names);
  }
}
