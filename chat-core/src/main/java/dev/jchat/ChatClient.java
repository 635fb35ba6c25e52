package dev.jchat;

import dev.jchat.internal.client.ClientJson;
import dev.jchat.internal.client.ConnectionSettings;
import dev.jchat.internal.client.RestCalls;
import dev.jchat.internal.client.ResumingSocket;
import dev.jchat.internal.client.Servers;
import dev.jchat.internal.client.SocketFailover;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client of a chat server: its REST API and its chat socket, on {@code java.net.http}.
 *
 * <pre>{@code
 * ChatClient client = ChatClient.builder().host("localhost").port(5200).build();
 * client.login("alice", "correct horse");
 * try (ChatSocket socket = client.connect(new ChatSocket.Listener() {
 *       public void onMessage(ChatMessage m) { System.out.println(m.from() + ": " + m.text()); }
 *     })) {
 *   socket.join("general").join();
 *   socket.send("general", "hello").join();
 * }
 * }</pre>
 *
 * <p>The client keeps the session of its last {@link #login}, and authenticated calls use its
 * token. Every call waits at most the client's timeout. Failures are {@link ChatException}s
 * carrying the server's error code; a server that cannot be reached or does not answer in time
 * gives code {@code unavailable}, with a message naming the address tried.
 *
 * <h2>Several servers</h2>
 *
 * <p>Given several servers ({@link Builder#servers(List)}: the nodes of one chat on a shared store,
 * where sessions, {@code seq}s and {@code ref}s are the same on every node), the client uses one at
 * a time, the <em>current</em> one, first the first in the list. A call goes to the current server
 * and, when that server fails, to the next ones in list order (round robin, each at most once per
 * call); the first that serves becomes current, so later calls start there. A server fails a call
 * when:
 *
 * <ul>
 *   <li>it cannot be reached (connection refused or timed out, unknown host): any call moves on;
 *   <li>it answers 503 {@code unavailable} (it carried nothing out): any call moves on;
 *   <li>it gives no answer in time, or the connection breaks during the exchange: the request may
 *       have been carried out, so only a call that is safe to repeat ({@link #rooms()}, {@link
 *       #room}, {@link #messages}, {@link #health()}, {@link #addMember}, {@link #removeMember},
 *       {@link #logout()}) moves on; the others fail with {@code unavailable}, and the next call
 *       starts at the next server;
 *   <li>for {@link #connect}: the socket cannot be opened or is not welcomed in time. A refused
 *       token ({@code unauthorized}) is final.
 * </ul>
 *
 * <p>Each attempt waits at most the timeout, so a call may take up to the timeout times the number
 * of servers. An open socket that closes abnormally (code 1006, the connection broke; 1001, the
 * server went away; or 1011 to 1014) makes the next server current before its listener's {@link
 * ChatSocket.Listener#onClose} runs, so a reconnect from there goes to another server. A socket
 * does not reconnect by itself: to resume, open a new one with {@link #connect}, join each room
 * with {@link ChatSocket#join(String, long)} and the last {@code seq} seen (the new server sends
 * exactly what was missed), and repeat each send that has no ack with its same {@code ref} (stored
 * once, answered with the first ack). A single address behind a load balancer needs none of this:
 * it is one server to the client.
 *
 * <p>Thread-safe. Its threads are daemons, idle ones end, so a client needs no closing; its sockets
 * do. Parameters are never null unless documented otherwise.
 */
public final class ChatClient {
  private static final AtomicInteger THREADS = new AtomicInteger();
  private final Servers servers;
  private final RestCalls rest;
  private final HttpClient http;
  private final ConnectionSettings socketSettings;
  private final Duration timeout;
  private final boolean reconnect;
  private volatile Session session;

  private ChatClient(Builder builder) {
    this.reconnect = builder.reconnect;
    this.servers = new Servers(builder.bases());
    this.timeout = builder.timeout;
    ExecutorService executor = Executors.newCachedThreadPool(ChatClient::daemon);
    this.http = HttpClient.newBuilder().connectTimeout(builder.timeout).executor(executor).build();
    this.rest = new RestCalls(http, servers, builder.timeout);
    this.socketSettings =
        new ConnectionSettings(
                servers.current().toString(),
                builder.timeout,
                builder.maxPendingRequests,
                builder.maxMessageChars,
                executor)
            .at(servers.current());
  }

  /** The client's threads never keep a program alive, so a client needs no closing. */
  private static Thread daemon(Runnable task) {
    Thread t = new Thread(task, "jchat-client-" + THREADS.incrementAndGet());
    t.setDaemon(true);
    return t;
  }

  /** A builder for a client of {@code localhost:5200}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The current server's address, like {@code http://localhost:5200}: the one the next call goes to
   * first. With one server, always that one.
   */
  public URI address() {
    return servers.current();
  }

  /** Every server's address, in the order given to the builder. */
  public List<URI> addresses() {
    return servers.all();
  }

  /** The longest any call waits, see {@link Builder#timeout(Duration)}. */
  public Duration timeout() {
    return timeout;
  }

  /** The session of the last successful {@link #login}, or null when there is none. */
  public Session session() {
    return session;
  }

  /** Uses a session obtained earlier (say, saved by another run) instead of logging in. */
  public void useSession(Session session) {
    this.session = Objects.requireNonNull(session);
  }

  /**
   * Creates an account.
   *
   * @param name the display name, or null for none
   * @param email an email address, or null for none
   * @return the new user id
   * @throws ChatException {@code conflict} when the user id is taken, {@code bad_request} when it
   *     or the password (at least 8 characters) is not acceptable
   */
  public String register(String userId, String password, String name, String email) {
    var body =
        ClientJson.object("userId", userId, "password", password, "name", name, "email", email);
    return ClientJson.text(rest.call("POST", "/api/users", body, null), "userId");
  }

  /**
   * Logs in, and keeps the session for the calls that follow.
   *
   * @throws ChatException {@code unauthorized} for a wrong user id or password
   */
  public Session login(String userId, String password) {
    var answer =
        rest.call(
            "POST",
            "/api/sessions",
            ClientJson.object("userId", userId, "password", password),
            null);
    Session s =
        new Session(
            ClientJson.text(answer, "token"),
            ClientJson.text(answer, "userId"),
            ClientJson.instant(answer, "expiresAt"));
    this.session = s;
    return s;
  }

  /** Ends the current session on the server (its sockets close) and forgets it here. */
  public void logout() {
    try {
      rest.call("DELETE", "/api/sessions", null, token());
    } finally {
      session = null;
    }
  }

  /** The rooms this user can see: every public room, and the private ones it is a member of. */
  public List<ChatRoom> rooms() {
    return ClientJson.rooms(rest.call("GET", "/api/rooms", null, token()).path("rooms"));
  }

  /**
   * Creates a room, with this user as a member.
   *
   * @param name a display name, or null for the room id
   * @param participants user ids to add as members; may be empty
   * @return the room id
   * @throws ChatException {@code conflict} when the id is taken, {@code not_found} for an unknown
   *     participant
   */
  public String createRoom(
      String roomId, String name, boolean isPrivate, List<String> participants) {
    var body =
        ClientJson.object(
            "roomId", roomId, "name", name, "private", isPrivate, "participants", participants);
    return ClientJson.text(rest.call("POST", "/api/rooms", body, token()), "roomId");
  }

  /** One room, with its {@link ChatRoom#memberIds()}. */
  public ChatRoom room(String roomId) {
    return ClientJson.room(
        rest.call("GET", "/api/rooms/" + RestCalls.segment(roomId), null, token()));
  }

  /** Makes a user a member of a room. Idempotent. */
  public void addMember(String roomId, String userId) {
    rest.call("PUT", memberPath(roomId, userId), null, token());
  }

  /** Removes a user from a room's members. */
  public void removeMember(String roomId, String userId) {
    rest.call("DELETE", memberPath(roomId, userId), null, token());
  }

  /**
   * Reads a room's stored messages, ascending by {@code seq}.
   *
   * @param before an exclusive upper {@code seq} bound, or 0 for none
   * @param after an exclusive lower {@code seq} bound, or 0 for none
   * @param limit how many at most, or 0 for the server's default (50; at most 200)
   */
  public List<ChatMessage> messages(String roomId, long before, long after, int limit) {
    List<String> query = new ArrayList<>();
    if (before > 0) {
      query.add("before=" + before);
    }
    if (after > 0) {
      query.add("after=" + after);
    }
    if (limit > 0) {
      query.add("limit=" + limit);
    }
    String path =
        "/api/rooms/"
            + RestCalls.segment(roomId)
            + "/messages"
            + (query.isEmpty() ? "" : "?" + String.join("&", query));
    return ClientJson.messages(rest.call("GET", path, null, token()).path("messages"), roomId);
  }

  /**
   * Asks the server whether it is up.
   *
   * @return the status it reports, {@code ok} when healthy
   * @throws ChatException {@code unavailable} when it cannot be reached
   */
  public String health() {
    return ClientJson.text(rest.call("GET", "/api/health", null, null), "status");
  }

  /**
   * Opens the chat socket with the current session and waits for the server's {@code welcome}, at
   * most the client's timeout (per server tried, see "Several servers"). With {@link
   * Builder#reconnect(boolean)} the socket outlives its connection.
   *
   * @throws IllegalStateException when not logged in
   * @throws ChatException {@code unauthorized} when the server rejects the session's token, {@code
   *     unavailable} when no server can be reached
   */
  public ChatSocket connect(ChatSocket.Listener listener) {
    try {
      return connectAsync(listener).join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof ChatException c
          ? c
          : new ChatException("internal", 0, e.getMessage(), e);
    }
  }

  /** Like {@link #connect}, without waiting: the future completes once welcomed. */
  public CompletableFuture<ChatSocket> connectAsync(ChatSocket.Listener listener) {
    Objects.requireNonNull(listener);
    Session s = session;
    if (s == null) {
      throw new IllegalStateException("not logged in");
    }
    return reconnect
        ? ResumingSocket.open(http, socketSettings, servers, s.token(), listener)
        : SocketFailover.open(http, socketSettings, servers, s.token(), listener);
  }

  private String token() {
    Session s = session;
    return s == null ? null : s.token();
  }

  private static String memberPath(String roomId, String userId) {
    return "/api/rooms/" + RestCalls.segment(roomId) + "/members/" + RestCalls.segment(userId);
  }

  private static String hostForUri(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /**
   * A login session.
   *
   * @param token the bearer token for REST calls and the socket's {@code hello}
   * @param userId the user signed in
   * @param expiresAt when the token stops working, or null when the server did not say
   */
  public record Session(String token, String userId, Instant expiresAt) {
    /** Keeps the token out of logs. */
    @Override
    public String toString() {
      return "Session[userId=" + userId + ", expiresAt=" + expiresAt + "]";
    }
  }

  /** Settings for a {@link ChatClient}. */
  public static final class Builder {
    private String host = "localhost";
    private int port = 5200;
    private List<String> servers;
    private boolean hostGiven;
    private boolean reconnect;
    private Duration timeout = Duration.ofSeconds(10);
    private int maxPendingRequests = 1000;
    private int maxMessageChars = 16 * 1024 * 1024;

    private Builder() {}

    /**
     * The server's host name or address. Default {@code localhost}. Give either this or {@link
     * #servers(List)}.
     */
    public Builder host(String host) {
      if (host.isBlank()) {
        throw new IllegalArgumentException("host is blank");
      }
      this.host = host;
      this.hostGiven = true;
      return this;
    }

    /**
     * Several servers, the nodes of one chat on a shared store, each as {@code host:port}, {@code
     * host} (on {@link #port(int)}'s port), or {@code [IPv6 address]:port}. The client uses the
     * first until it fails, then moves on in list order; see "Several servers" in {@link
     * ChatClient}. Replaces {@link #host(String)}: giving both is an error at {@link #build()}.
     *
     * @throws IllegalArgumentException when the list is empty or an entry is not an address
     */
    public Builder servers(List<String> hostPorts) {
      if (hostPorts.isEmpty()) {
        throw new IllegalArgumentException("no server given");
      }
      for (String hostPort : hostPorts) {
        Servers.parse(hostPort, 1); // fails early on a malformed entry
      }
      this.servers = List.copyOf(hostPorts);
      return this;
    }

    /**
     * The server's port, and the port of {@link #servers(List)} entries without one. Default 5200.
     */
    public Builder port(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * The longest any call waits: to connect, for a REST answer, for the socket's {@code welcome},
     * for the answer to each socket request. Default 10 s.
     */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive");
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Socket requests that may wait for an answer at once; past it a request fails right away with
     * {@code rate_limited}. Default 1,000.
     */
    public Builder maxPendingRequests(int n) {
      if (n <= 0) {
        throw new IllegalArgumentException("maxPendingRequests must be positive");
      }
      this.maxPendingRequests = n;
      return this;
    }

    /**
     * The longest message the socket accepts from the server, in characters; a longer one closes
     * the socket with 1009. Default 16 Mi, room for a {@code joined} with 500 long messages.
     */
    public Builder maxMessageChars(int n) {
      if (n <= 0) {
        throw new IllegalArgumentException("maxMessageChars must be positive");
      }
      this.maxMessageChars = n;
      return this;
    }

    /**
     * Whether the sockets {@link ChatClient#connect} opens outlive their connections. Default
     * false: a socket closes when its connection breaks, and the application decides what to do.
     *
     * <p>When true, a socket whose connection breaks (or whose server goes away) tells its listener
     * ({@link ChatSocket.Listener#onDisconnected}) and opens a new connection, to the next server
     * when there are several, again and again with a backoff from 100 ms to 5 s, until it is closed
     * or the server refuses the session ({@code unauthorized}: then {@link
     * ChatSocket.Listener#onClose}). Once connected ({@link ChatSocket.Listener#onReconnected}) it
     * joins each room it had joined again with {@code since} = the last {@code seq} its listener
     * was given, pages back to fill what the server's history cap left out, and hands what it
     * missed to {@link ChatSocket.Listener#onMessage}: per room, every message once, in {@code seq}
     * order, across any number of reconnects. It then sends again, with the same {@code ref}, every
     * send still without an ack, in the order made (the server stores each once and answers a
     * repeat with the first ack); a send made while reconnecting waits for the new connection. So a
     * send's future completes when the message is stored, however many connections that takes, and
     * fails only with an error the server answered (or when the socket is closed). Joins, leaves,
     * history and room lists made while reconnecting fail with {@code unavailable}; a room left
     * with {@link ChatSocket#leave} is not joined again.
     */
    public Builder reconnect(boolean reconnect) {
      this.reconnect = reconnect;
      return this;
    }

    /**
     * A client with these settings. It holds no connection until a call needs one.
     *
     * @throws IllegalStateException when both {@link #host(String)} and {@link #servers(List)} were
     *     given
     */
    public ChatClient build() {
      if (hostGiven && servers != null) {
        throw new IllegalStateException("give either host() or servers(), not both");
      }
      return new ChatClient(this);
    }

    private List<URI> bases() {
      if (servers == null) {
        return List.of(URI.create("http://" + hostForUri(host) + ":" + port));
      }
      List<URI> bases = new ArrayList<>();
      for (String hostPort : servers) {
        bases.add(Servers.parse(hostPort, port));
      }
      return bases;
    }
  }
}
