package dev.jchat.cli.bench;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Everything a bench run needs to know, validated on construction.
 *
 * @param url the chat socket, {@code ws://host:port/path}; the REST API is at the same host and
 *     port
 * @param clients sockets to open; client {@code i} joins room {@code i % rooms}
 * @param sendersPerRoom the first members of each room that send
 * @param rate messages per second per sender, or 0 in window mode
 * @param window unacknowledged sends per sender, or 0 in rate mode
 * @param payload bytes of each text (longer when the stamp alone is longer)
 * @param login whether to sign in over REST; otherwise {@code hello} carries {@code tokenPrefix +
 *     i}
 * @param users shared accounts {@code bench-1..users} when logging in
 * @param roomPrefix rooms are {@code roomPrefix + 0 .. rooms - 1}
 * @param connectRate new connections per second, over all threads
 * @param connectTimeout from starting to connect to {@code joined}, per client
 * @param threads selector threads, 1 or 2
 * @param drain the longest wait, after the measured window, for outstanding acks and deliveries
 * @param maxQueueBytes unsent bytes a socket may hold before it is dropped as a failure
 * @param release what frees a window slot: the {@code ack}, or the sender's own message
 * @param refs every {@code send} carries a {@code ref} of its own, as the project's clients send
 * @param spread more nodes of the same server (several nodes, docs/scaling.md): the k-th member of
 *     each room connects to node {@code k % (1 + spread.size())}, {@code url} being node 0, so
 *     every room has members on every node
 */
record BenchConfig(
    URI url,
    int clients,
    int rooms,
    int sendersPerRoom,
    double rate,
    int window,
    Duration warmup,
    Duration duration,
    int payload,
    boolean login,
    String tokenPrefix,
    int users,
    String password,
    String roomPrefix,
    double connectRate,
    Duration connectTimeout,
    int threads,
    Duration drain,
    int maxQueueBytes,
    Release release,
    List<URI> spread,
    boolean refs) {

  /** What frees a slot of a sender's window. */
  enum Release {
    ACK,
    ECHO;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]*");

  BenchConfig {
    spread = List.copyOf(spread);
    for (URI u : concat(url, spread)) {
      if (!"ws".equals(u.getScheme()) || u.getHost() == null) {
        throw new IllegalArgumentException("--url must look like ws://host:port/ws: " + u);
      }
    }
    positive(clients, "--clients");
    positive(rooms, "--rooms");
    if (sendersPerRoom < 0) {
      throw new IllegalArgumentException("--senders-per-room must not be negative.");
    }
    if (rate < 0 || window < 0 || (rate > 0 && window > 0)) {
      throw new IllegalArgumentException("Give either --rate or --window, not both.");
    }
    if (sendersPerRoom > 0 && rate == 0 && window == 0) {
      throw new IllegalArgumentException("Senders need --rate or --window.");
    }
    notNegative(warmup, "--warmup");
    positive(duration, "--duration");
    notNegative(drain, "--drain");
    positive(connectTimeout, "--connect-timeout");
    positive(payload, "--payload");
    positive(users, "--users");
    positive(maxQueueBytes, "--max-queue");
    if (!(connectRate > 0)) {
      throw new IllegalArgumentException("--connect-rate must be positive.");
    }
    if (threads < 1 || threads > 2) {
      throw new IllegalArgumentException("--threads must be 1 or 2.");
    }
    if (!ID.matcher(roomPrefix).matches() || roomPrefix.length() + 10 > 64) {
      throw new IllegalArgumentException(
          "--room-prefix may hold only A-Z a-z 0-9 _ . - and at most 54 of them.");
    }
  }

  boolean windowMode() {
    return window > 0;
  }

  String roomName(int room) {
    return roomPrefix + room;
  }

  int port() {
    return port(url);
  }

  private static int port(URI u) {
    return u.getPort() == -1 ? 80 : u.getPort();
  }

  /** Every node's socket address: {@code url}'s first, then {@code spread}'s. */
  List<InetSocketAddress> addresses() {
    List<InetSocketAddress> all = new ArrayList<>();
    for (URI u : concat(url, spread)) {
      all.add(new InetSocketAddress(u.getHost(), port(u)));
    }
    return all;
  }

  private static List<URI> concat(URI first, List<URI> more) {
    List<URI> all = new ArrayList<>();
    all.add(first);
    all.addAll(more);
    return all;
  }

  /** The socket's path and query, as the upgrade request names it. */
  String path() {
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
  }

  /** {@code http://host:port}, where the REST API lives. */
  URI restBase() {
    return URI.create("http://" + url.getHost() + ":" + port());
  }

  /** Host and port as the {@code Host} header gives them. */
  String hostHeader() {
    return url.getHost() + ":" + port();
  }

  private static void positive(int n, String name) {
    if (n <= 0) {
      throw new IllegalArgumentException(name + " must be positive.");
    }
  }

  private static void positive(Duration d, String name) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive.");
    }
  }

  private static void notNegative(Duration d, String name) {
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative.");
    }
  }
}
