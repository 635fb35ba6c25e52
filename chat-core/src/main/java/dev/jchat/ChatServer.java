package dev.jchat;

import dev.jchat.internal.cluster.ClusterNode;
import dev.jchat.internal.server.ServerRuntime;
import dev.jchat.internal.server.ServerSettings;
import dev.jchat.internal.store.PostgresUrl;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;

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
    if (runtime != null || closed) {
      throw new IllegalStateException("a server starts once");
    }
    runtime = ServerRuntime.start(settings);
    return this;
  }

  /**
   * Where the server keeps its data: the SQLite file's absolute path, or the PostgreSQL URL without
   * its password.
   */
  public synchronized String database() {
    return started().database();
  }

  /**
   * The bus this node shares with the others ({@link Builder#bus}) and its id on it, like {@code
   * redis://cache:6379 as node 3f2a...}; null for a single node.
   */
  public synchronized String bus() {
    return started().bus();
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
    if (closed) {
      return;
    }
    closed = true;
    if (runtime != null) {
      runtime.close();
    }
  }

  private ServerRuntime started() {
    if (runtime == null || closed) {
      throw new IllegalStateException("the server is not running");
    }
    return runtime;
  }

  private static String version() {
    String v = ChatServer.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /**
   * The {@link Builder}'s defaults, as compile-time constants so that a command line can show them
   * (picocli's {@code defaultValue = "" + ChatServer.Defaults.PORT}) without repeating them.
   */
  public static final class Defaults {
    /** Address to bind: every interface. */
    public static final String HOST = "0.0.0.0";

    /** Port to bind. */
    public static final int PORT = 5200;

    /** SQLite database file, relative to the working directory. */
    public static final String DATABASE = "chat.db";

    /** The public room created at start when missing. */
    public static final String ROOM = "general";

    /** Largest HTTP request header section, in bytes: 16 KiB. */
    public static final int MAX_HEADER_BYTES = 16 * 1024;

    /** Largest HTTP request body, in bytes: 1 MiB. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;

    /** Largest WebSocket message payload, in bytes: 64 KiB. */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024;

    /** Longest message text, in characters after trimming. */
    public static final int MAX_TEXT_LENGTH = 4000;

    /** Unsent bytes a connection may queue before it is closed as a slow consumer: 1 MiB. */
    public static final long OUTBOUND_LIMIT_BYTES = 1024 * 1024;

    /** Seconds a new socket has to send {@code hello}. */
    public static final int HELLO_TIMEOUT_SECONDS = 10;

    /** Idle seconds before the server pings a socket. */
    public static final int PING_INTERVAL_SECONDS = 30;

    /** Open connections beyond which new ones are refused. */
    public static final int MAX_CONNECTIONS = 50_000;

    /** Days a login token stays valid. */
    public static final int TOKEN_TTL_DAYS = 7;

    /** Messages per second per user; bursts up to twice that. */
    public static final int RATE_LIMIT_PER_SECOND = 20;

    /** PBKDF2 iterations for new password hashes. */
    public static final int PASSWORD_ITERATIONS = 600_000;

    /** Most messages a {@code joined} carries when the client gives {@code since}. */
    public static final int HISTORY_CAP = 500;

    /**
     * Heap the newest messages of the rooms being read may take, on an SQLite file: 64 MiB, about a
     * quarter of a million short messages.
     */
    public static final long HISTORY_MEMORY_BYTES = 64L * 1024 * 1024;

    /** Accounts one client address may create per hour. */
    public static final int SIGNUPS_PER_HOUR = 100;

    /** Failed logins per user id and client address in 15 minutes. */
    public static final int LOGIN_FAILURES = 5;

    /** Rooms one user may create per hour. */
    public static final int ROOMS_PER_HOUR = 1000;

    /** Joins and history reads per second per socket, REST reads per user. */
    public static final int READS_PER_SECOND = 20;

    /** Longest an HTTP request may take to arrive, first byte to end of body. */
    public static final int REQUEST_TIMEOUT_SECONDS = 20;

    /** Open connections per (non-loopback) client address. */
    public static final int MAX_CONNECTIONS_PER_ADDRESS = 1000;

    /** Sessions one user may hold. */
    public static final int MAX_SESSIONS_PER_USER = 100;

    /** Whether each HTTP request is logged on {@code dev.jchat.access}. */
    public static final boolean ACCESS_LOG = false;

    private Defaults() {}
  }

  /** Settings for a {@link ChatServer}. Every limit has a safe default. */
  public static final class Builder {
    String host = Defaults.HOST;
    int port = Defaults.PORT;
    Path database = Path.of(Defaults.DATABASE);
    boolean inMemory;
    String databaseUrl;
    String databasePassword;
    List<String> rooms = List.of(Defaults.ROOM);
    int ioThreads = Math.min(4, Runtime.getRuntime().availableProcessors());
    int workers = Math.max(2, Runtime.getRuntime().availableProcessors() * 2);
    ChatListener listener = new ChatListener() {};
    int maxHeaderBytes = Defaults.MAX_HEADER_BYTES;
    int maxBodyBytes = Defaults.MAX_BODY_BYTES;
    int maxMessageBytes = Defaults.MAX_MESSAGE_BYTES;
    int maxTextLength = Defaults.MAX_TEXT_LENGTH;
    long outboundLimitBytes = Defaults.OUTBOUND_LIMIT_BYTES;
    Duration helloTimeout = Duration.ofSeconds(Defaults.HELLO_TIMEOUT_SECONDS);
    Duration pingInterval = Duration.ofSeconds(Defaults.PING_INTERVAL_SECONDS);
    int maxConnections = Defaults.MAX_CONNECTIONS;
    Duration tokenTtl = Duration.ofDays(Defaults.TOKEN_TTL_DAYS);
    double rateLimit = Defaults.RATE_LIMIT_PER_SECOND;
    boolean fsync;
    int passwordIterations = Defaults.PASSWORD_ITERATIONS;
    Set<String> allowedOrigins = Set.of();
    int historyCap = Defaults.HISTORY_CAP;
    long historyMemoryBytes = Defaults.HISTORY_MEMORY_BYTES;

    private Builder() {}

    /** Address to bind; default {@code 0.0.0.0} (all interfaces). */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host);
      return this;
    }

    /** Port to bind; 0 picks a free port, see {@link ChatServer#port()}. Default 5200. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.port = port;
      return this;
    }

    /** SQLite database file, created when missing. Default {@code ./chat.db}. */
    public Builder database(Path file) {
      this.database = Objects.requireNonNull(file);
      this.databaseUrl = null;
      this.dataSource = null;
      this.inMemory = false;
      return this;
    }

    DataSource dataSource;

    /**
     * Keeps the data in the PostgreSQL database the host program's {@code DataSource} connects to
     * (its own credentials and settings; the server pools at most 8 of its connections on top of
     * it). The schema is created or upgraded at start. Only PostgreSQL is supported this way.
     */
    public Builder database(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource);
      this.databaseUrl = null;
      this.inMemory = false;
      return this;
    }

    /**
     * Where to keep the data: a PostgreSQL database given as a libpq-style URI ({@code
     * postgresql://user@host:5432/chat}) or a JDBC URL ({@code jdbc:postgresql://host/chat}), or
     * else an SQLite file path. PostgreSQL's password comes from the URL, else {@link
     * #databasePassword}, else the {@code PGPASSWORD} environment variable; it is never logged. The
     * schema is created or upgraded at start; a database that cannot be reached makes {@link
     * ChatServer#start()} fail.
     *
     * @throws IllegalArgumentException when a PostgreSQL URL is malformed
     */
    public Builder database(String url) {
      Objects.requireNonNull(url);
      if (!PostgresUrl.isPostgres(url)) {
        return database(Path.of(url));
      }
      PostgresUrl.parse(url, null, Map.of()); // fail now on a malformed URL
      this.databaseUrl = url;
      this.dataSource = null;
      this.inMemory = false;
      return this;
    }

    java.net.URI bus;

    /**
     * Runs this server as one node of several: all share one PostgreSQL {@link #database(String)
     * database} and hear each other over Redis at {@code url} ({@code
     * redis://[:password@]host[:port] [/db]}), which carries each committed message, presence,
     * logouts and membership changes to the other nodes. Clients may connect to any node, with no
     * sticky sessions; a node that loses the bus keeps serving and catches up from the store (see
     * docs/scaling.md). Redis must answer at {@link ChatServer#start()}. Default: none, a single
     * node.
     *
     * @throws IllegalArgumentException when {@code url} is not a redis URL
     */
    public Builder bus(String url) {
      this.bus = ClusterNode.parseBusUrl(Objects.requireNonNull(url));
      return this;
    }

    /**
     * The PostgreSQL password, for a {@link #database(String) URL} that carries none (read it from
     * a file or a secret store; never put it on a command line). Default: {@code PGPASSWORD}.
     */
    public Builder databasePassword(String password) {
      this.databasePassword = Objects.requireNonNull(password);
      return this;
    }

    /**
     * Keeps data only for the life of the server (a temporary file, deleted on close), for tests
     * and throwaway servers.
     */
    public Builder inMemoryDatabase() {
      this.inMemory = true;
      this.databaseUrl = null;
      this.dataSource = null;
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
      if (n <= 0) {
        throw new IllegalArgumentException("outboundLimitBytes must be positive");
      }
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
      if (perSecond < 0) {
        throw new IllegalArgumentException("rateLimit must not be negative");
      }
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

    /**
     * PBKDF2-HMAC-SHA256 iterations for new password hashes. Default 600,000 (OWASP's guidance); a
     * stored hash made with other settings is replaced at the user's next login.
     */
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

    /**
     * Heap, estimated, for the newest messages of the rooms being read, kept in memory so that
     * joins and the first pages of history need no query; one room takes at most a sixteenth of it,
     * and the rooms read longest ago make way. Only on an SQLite file, which this server alone
     * writes to; on PostgreSQL every read asks the database. 0 turns it off. Default 64 MiB.
     */
    public Builder historyMemoryBytes(long n) {
      if (n < 0) {
        throw new IllegalArgumentException("historyMemoryBytes must not be negative");
      }
      this.historyMemoryBytes = n;
      return this;
    }

    // The abuse limits of protocol v1.1. Each refusal is counted in the server's log.
    int passwordThreads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    int passwordQueue = 0;
    int signupsPerHour = Defaults.SIGNUPS_PER_HOUR;
    int loginFailures = Defaults.LOGIN_FAILURES;
    int roomsPerHour = Defaults.ROOMS_PER_HOUR;
    double readsPerSecond = Defaults.READS_PER_SECOND;
    Duration requestTimeout = Duration.ofSeconds(Defaults.REQUEST_TIMEOUT_SECONDS);
    int maxConnectionsPerAddress = Defaults.MAX_CONNECTIONS_PER_ADDRESS;
    int maxSessionsPerUser = Defaults.MAX_SESSIONS_PER_USER;

    /**
     * Threads that hash passwords for sign-ups and logins, apart from the workers that serve
     * everyone else; at most {@link #passwordQueue} requests wait for them, and past that a sign-up
     * or login is refused at once with 503 {@code unavailable}. Default: half the cores, at least
     * 1.
     */
    public Builder passwordThreads(int n) {
      this.passwordThreads = positive(n, "passwordThreads");
      return this;
    }

    /**
     * Sign-ups and logins that may wait for a password thread; past it they are refused at once
     * with 503 {@code unavailable}. Default: 64 per password thread.
     */
    public Builder passwordQueue(int n) {
      this.passwordQueue = positive(n, "passwordQueue");
      return this;
    }

    /**
     * Accounts one client address may create per hour (bursts of as many); 0: no limit. Default
     * 100.
     */
    public Builder signupsPerHour(int n) {
      this.signupsPerHour = notNegative(n, "signupsPerHour");
      return this;
    }

    /**
     * Failed logins for one user id from one client address per 15 minutes before that address must
     * wait (429); a client address may fail 20 times as often across all user ids. The owner
     * signing in from another address is never held back by someone else's guesses. Default 5.
     */
    public Builder loginFailures(int n) {
      this.loginFailures = positive(n, "loginFailures");
      return this;
    }

    /**
     * Rooms one user may create per hour (bursts of as many); 0: no limit. Default 1,000 (room for
     * a load generator setting up its rooms).
     */
    public Builder roomsPerHour(int n) {
      this.roomsPerHour = notNegative(n, "roomsPerHour");
      return this;
    }

    /**
     * Reads per second, bursts of twice that: socket {@code join} and {@code history} per socket,
     * REST room lists and message pages per user; 0: no limit. Default 20.
     */
    public Builder readsPerSecond(double perSecond) {
      if (perSecond < 0) {
        throw new IllegalArgumentException("readsPerSecond must not be negative");
      }
      this.readsPerSecond = perSecond;
      return this;
    }

    /**
     * The longest an HTTP request may take to arrive, from its first byte to the end of its body; a
     * slower client is closed (408). Default 20 s.
     */
    public Builder requestTimeout(Duration d) {
      this.requestTimeout = positive(d, "requestTimeout");
      return this;
    }

    /**
     * Open connections from one client address; past it new ones get 503 and are closed. 0: no
     * limit. Default 1,000. Loopback addresses are not limited: a reverse proxy on the same machine
     * (which must then limit its clients itself) and local load generators connect from there.
     */
    public Builder maxConnectionsPerAddress(int n) {
      this.maxConnectionsPerAddress = notNegative(n, "maxConnectionsPerAddress");
      return this;
    }

    /**
     * Sessions (tokens) one user may hold; a login past it ends the user's oldest session and
     * closes its sockets. Default 100.
     */
    public Builder maxSessionsPerUser(int n) {
      this.maxSessionsPerUser = positive(n, "maxSessionsPerUser");
      return this;
    }

    /**
     * A server with these settings; call {@link ChatServer#start()} to run it.
     *
     * @throws IllegalStateException when a {@link #bus} is set without a PostgreSQL database
     */
    public ChatServer build() {
      if (bus != null && databaseUrl == null && dataSource == null) {
        throw new IllegalStateException(
            "several nodes (a bus) need a shared PostgreSQL database, not an SQLite file");
      }
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
              historyMemoryBytes,
              NAME,
              new ServerSettings.Limits(
                  passwordThreads,
                  passwordQueue,
                  signupsPerHour,
                  loginFailures,
                  roomsPerHour,
                  readsPerSecond,
                  requestTimeout,
                  maxConnectionsPerAddress,
                  maxSessionsPerUser),
              web,
              accessLog,
              meterRegistry,
              databaseUrl == null
                  ? null
                  : PostgresUrl.parse(databaseUrl, databasePassword, System.getenv()),
              dataSource,
              bus));
    }

    boolean accessLog = Defaults.ACCESS_LOG;

    /**
     * Logs one INFO record per HTTP request (method, path without query, status, duration) on the
     * {@code System.Logger} named {@code dev.jchat.access}. Never headers, bodies or query strings,
     * so no tokens, passwords or message text. Default off.
     */
    public Builder accessLog(boolean on) {
      this.accessLog = on;
      return this;
    }

    MeterRegistry meterRegistry;

    /**
     * A Micrometer registry to publish the server's meters in (connections, sockets, messages
     * committed, commit batch size and duration, deliveries, slow-consumer closes, refusals by
     * limit, logins by outcome, joins); docs/operations.md lists them. They are removed from it
     * when the server closes. Default: none (the meters are not kept). JVM meters are the host's to
     * bind.
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    private static int positive(int n, String name) {
      if (n <= 0) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return n;
    }

    private static int notNegative(int n, String name) {
      if (n < 0) {
        throw new IllegalArgumentException(name + " must not be negative");
      }
      return n;
    }

    private static Duration positive(Duration d, String name) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
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
