package dev.jchat;

import dev.jchat.internal.server.ServerRuntime;
import dev.jchat.internal.server.ServerSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A chat server: HTTP/1.1 REST API and the WebSocket chat socket on one port, with rooms, real-time
 * broadcast and SQLite persistence.
 *
 * <pre>{@code
 * try (ChatServer server = ChatServer.builder().port(0).database(Path.of("chat.db")).build().start()) {
 *   System.out.println("listening on " + server.port());
 *   ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #start()} binds and returns once the server accepts connections; {@link
 * #close()} stops accepting, commits queued messages, closes sockets with 1001 and returns when
 * everything has stopped.
 */
public final class ChatServer implements AutoCloseable {
  /** The name and version sent in {@code welcome}. */
  public static final String NAME = "jchat/" + version();

  private final ServerSettings settings;
  private ServerRuntime runtime;
  private boolean closed;

  private ChatServer(ServerSettings settings) {
    this.settings = settings;
  }

  /** A builder with the defaults of {@code chat server}: port 5200, {@code ./chat.db}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Opens the database, binds the port and starts the threads.
   *
   * @return this server
   * @throws IOException when the port cannot be bound or the database cannot be opened
   */
  public synchronized ChatServer start() throws IOException {
    if (runtime != null || closed) throw new IllegalStateException("a server starts once");
    runtime = ServerRuntime.start(settings);
    return this;
  }

  /** The port the server listens on; the actual one when the builder asked for port 0. */
  public synchronized int port() {
    return started().port();
  }

  /** Open TCP connections right now (HTTP and WebSocket). */
  public synchronized int connectionCount() {
    return started().openConnections();
  }

  /**
   * Posts a message from the host program, as user {@code fromUserId} (which need not be a
   * registered account, so a bot can have its own name). The room must exist.
   *
   * @return completes with the stored message once it is committed and delivered, or exceptionally
   *     with a {@link ChatException}
   */
  public CompletableFuture<ChatMessage> post(String roomId, String fromUserId, String text) {
    ServerRuntime r;
    synchronized (this) {
      r = started();
    }
    return r.post(roomId, fromUserId, text);
  }

  /** Stops accepting, commits what is queued, closes every socket with 1001. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    if (runtime != null) runtime.close();
  }

  private ServerRuntime started() {
    if (runtime == null || closed) throw new IllegalStateException("the server is not running");
    return runtime;
  }

  private static String version() {
    String v = ChatServer.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** Settings for a {@link ChatServer}. Every limit has a safe default. */
  public static final class Builder {
    String host = "0.0.0.0";
    int port = 5200;
    Path database = Path.of("chat.db");
    boolean inMemory;
    List<String> rooms = List.of("general");
    int ioThreads = Math.min(4, Runtime.getRuntime().availableProcessors());
    int workers = Math.max(2, Runtime.getRuntime().availableProcessors() * 2);
    ChatListener listener = new ChatListener() {};
    int maxHeaderBytes = 16 * 1024;
    int maxBodyBytes = 1024 * 1024;
    int maxMessageBytes = 64 * 1024;
    int maxTextLength = 4000;
    long outboundLimitBytes = 1024 * 1024;
    Duration helloTimeout = Duration.ofSeconds(10);
    Duration pingInterval = Duration.ofSeconds(30);
    int maxConnections = 50_000;
    Duration tokenTtl = Duration.ofDays(7);
    double rateLimit = 20;
    boolean fsync;
    int passwordIterations = 120_000;
    Set<String> allowedOrigins = Set.of();
    int historyCap = 500;

    private Builder() {}

    /** Address to bind; default {@code 0.0.0.0} (all interfaces). */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host);
      return this;
    }

    /** Port to bind; 0 picks a free port, see {@link ChatServer#port()}. Default 5200. */
    public Builder port(int port) {
      if (port < 0 || port > 65535)
        throw new IllegalArgumentException("port out of range: " + port);
      this.port = port;
      return this;
    }

    /** SQLite database file, created when missing. Default {@code ./chat.db}. */
    public Builder database(Path file) {
      this.database = Objects.requireNonNull(file);
      this.inMemory = false;
      return this;
    }

    /**
     * Keeps data only for the life of the server (a temporary file, deleted on close), for tests
     * and throwaway servers.
     */
    public Builder inMemoryDatabase() {
      this.inMemory = true;
      return this;
    }

    /** Public rooms created at start when they do not exist yet. Default {@code general}. */
    public Builder rooms(List<String> roomIds) {
      this.rooms = List.copyOf(roomIds);
      return this;
    }

    /** Event-loop threads; default one per core, at most 4. */
    public Builder ioThreads(int n) {
      this.ioThreads = positive(n, "ioThreads");
      return this;
    }

    /** Worker threads for requests, messages and other slow work; default two per core. */
    public Builder workers(int n) {
      this.workers = positive(n, "workers");
      return this;
    }

    /** Observes and moderates messages; see {@link ChatListener}. */
    public Builder listener(ChatListener listener) {
      this.listener = Objects.requireNonNull(listener);
      return this;
    }

    /** Largest HTTP request header section, in bytes (431 past it). Default 16 KiB. */
    public Builder maxHeaderBytes(int n) {
      this.maxHeaderBytes = positive(n, "maxHeaderBytes");
      return this;
    }

    /** Largest HTTP request body, in bytes (413 past it). Default 1 MiB. */
    public Builder maxBodyBytes(int n) {
      this.maxBodyBytes = positive(n, "maxBodyBytes");
      return this;
    }

    /** Largest WebSocket message payload, in bytes (close 1009 past it). Default 65,536. */
    public Builder maxMessageBytes(int n) {
      this.maxMessageBytes = positive(n, "maxMessageBytes");
      return this;
    }

    /** Longest message text, in characters after trimming. Default 4,000. */
    public Builder maxTextLength(int n) {
      this.maxTextLength = positive(n, "maxTextLength");
      return this;
    }

    /**
     * Unsent bytes a connection may have queued before it is closed as a slow consumer. Default 1
     * MiB.
     */
    public Builder outboundLimitBytes(long n) {
      if (n <= 0) throw new IllegalArgumentException("outboundLimitBytes must be positive");
      this.outboundLimitBytes = n;
      return this;
    }

    /** How long a new socket has to send {@code hello}. Default 10 s. */
    public Builder helloTimeout(Duration d) {
      this.helloTimeout = positive(d, "helloTimeout");
      return this;
    }

    /**
     * Idle time before the server pings a socket; no pong within another interval closes it.
     * Default 30 s.
     */
    public Builder pingInterval(Duration d) {
      this.pingInterval = positive(d, "pingInterval");
      return this;
    }

    /** Open connections (HTTP and WebSocket) beyond which new ones are refused. Default 50,000. */
    public Builder maxConnections(int n) {
      this.maxConnections = positive(n, "maxConnections");
      return this;
    }

    /** How long a login token stays valid. Default 7 days. */
    public Builder tokenTtl(Duration d) {
      this.tokenTtl = positive(d, "tokenTtl");
      return this;
    }

    /**
     * Messages per second per user (a token bucket with a burst of twice that); 0 turns it off.
     * Default 20.
     */
    public Builder rateLimit(double perSecond) {
      if (perSecond < 0) throw new IllegalArgumentException("rateLimit must not be negative");
      this.rateLimit = perSecond;
      return this;
    }

    /**
     * Makes every commit durable against power loss (SQLite synchronous=FULL), at a cost. Default
     * off.
     */
    public Builder fsync(boolean fsync) {
      this.fsync = fsync;
      return this;
    }

    /** PBKDF2 iterations for new password hashes. Default 120,000. */
    public Builder passwordIterations(int n) {
      this.passwordIterations = positive(n, "passwordIterations");
      return this;
    }

    /**
     * Origins allowed to open the chat socket from a browser, like {@code
     * https://chat.example.com}. Requests without an {@code Origin} header (non-browser clients)
     * are always allowed. Empty (the default) allows every origin.
     */
    public Builder allowedOrigins(Set<String> origins) {
      this.allowedOrigins = Set.copyOf(origins);
      return this;
    }

    /** Most messages a {@code joined} carries when the client gives {@code since}. Default 500. */
    public Builder historyCap(int n) {
      this.historyCap = positive(n, "historyCap");
      return this;
    }

    /** A server with these settings; call {@link ChatServer#start()} to run it. */
    public ChatServer build() {
      return new ChatServer(
          new ServerSettings(
              host,
              port,
              database,
              inMemory,
              rooms,
              ioThreads,
              workers,
              listener,
              maxHeaderBytes,
              maxBodyBytes,
              maxMessageBytes,
              maxTextLength,
              outboundLimitBytes,
              helloTimeout,
              pingInterval,
              maxConnections,
              tokenTtl,
              rateLimit,
              fsync,
              passwordIterations,
              allowedOrigins,
              historyCap,
              NAME,
              web));
    }

    private static int positive(int n, String name) {
      if (n <= 0) throw new IllegalArgumentException(name + " must be positive");
      return n;
    }

    private static Duration positive(Duration d, String name) {
      if (d.isNegative() || d.isZero())
        throw new IllegalArgumentException(name + " must be positive");
      return d;
    }

    boolean web = true;

    /**
     * Serves the browser client at {@code /} (static files from the chat-core jar; see {@code
     * docs/web.md}). Default on; turn it off to serve your own page, or none. The chat socket
     * accepts its own origin ({@code Origin} equal to the request's host) whatever {@link
     * #allowedOrigins} says.
     */
    public Builder web(boolean on) {
      this.web = on;
      return this;
    }
  }
}
