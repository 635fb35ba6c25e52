package dev.jchat;

import dev.jchat.internal.client.ClientJson;
import dev.jchat.internal.client.ConnectionSettings;
import dev.jchat.internal.client.RestCalls;
import dev.jchat.internal.client.WebSocketConnection;
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
 * <p>Thread-safe. Its threads are daemons, idle ones end, so a client needs no closing; its sockets
 * do. Parameters are never null unless documented otherwise.
 */
public final class ChatClient {
  private static final AtomicInteger THREADS = new AtomicInteger();
  private final RestCalls rest;
  private final HttpClient http;
  private final ConnectionSettings socketSettings;
  private final Duration timeout;
  private volatile Session session;

  private ChatClient(Builder builder) {
    URI base = URI.create("http://" + hostForUri(builder.host) + ":" + builder.port);
    this.timeout = builder.timeout;
    ExecutorService executor = Executors.newCachedThreadPool(ChatClient::daemon);
    this.http = HttpClient.newBuilder().connectTimeout(builder.timeout).executor(executor).build();
    this.rest = new RestCalls(http, base, builder.timeout);
    this.socketSettings =
        new ConnectionSettings(
            base.resolve("/ws").toString().replaceFirst("^http", "ws"),
            builder.timeout,
            builder.maxPendingRequests,
            builder.maxMessageChars,
            executor);
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

  /** The server's address, like {@code http://localhost:5200}. */
  public URI address() {
    return rest.base();
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
   * most the client's timeout.
   *
   * @throws IllegalStateException when not logged in
   * @throws ChatException {@code unauthorized} when the server rejects the session's token, {@code
   *     unavailable} when it cannot be reached
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
    return WebSocketConnection.open(http, socketSettings, s.token(), listener);
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
    private Duration timeout = Duration.ofSeconds(10);
    private int maxPendingRequests = 1000;
    private int maxMessageChars = 16 * 1024 * 1024;

    private Builder() {}

    /** The server's host name or address. Default {@code localhost}. */
    public Builder host(String host) {
      if (host.isBlank()) {
        throw new IllegalArgumentException("host is blank");
      }
      this.host = host;
      return this;
    }

    /** The server's port. Default 5200. */
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

    /** A client with these settings. It holds no connection until a call needs one. */
    public ChatClient build() {
      return new ChatClient(this);
    }
  }
}
