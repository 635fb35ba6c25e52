package dev.jchat.cli;

import dev.jchat.ChatServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code chat server [PORT]}: runs a server until Ctrl-C or SIGTERM, then shuts down cleanly. */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Runs a chat server: REST API under /api and the chat socket at /ws, on one port,",
      "with all data in one SQLite file. Ctrl-C (or SIGTERM) stops it cleanly: it stops",
      "accepting, commits queued messages, closes sockets with 1001 and exits 0."
    })
final class ServerCommand implements Callable<Integer> {

  @Parameters(
      index = "0",
      arity = "0..1",
      defaultValue = "" + ChatServer.Defaults.PORT,
      paramLabel = "PORT",
      description = "Port to listen on (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(
      names = "--host",
      defaultValue = ChatServer.Defaults.HOST,
      description = "Address to bind (default: ${DEFAULT-VALUE}, every interface).")
  String host;

  @Option(
      names = "--db",
      defaultValue = ChatServer.Defaults.DATABASE,
      paramLabel = "FILE|URL",
      description =
          "SQLite database file, created when missing (default: ./${DEFAULT-VALUE}), or a"
              + " PostgreSQL database: postgresql://USER@HOST:PORT/DB or jdbc:postgresql://...")
  String db;

  @Option(
      names = "--bus",
      paramLabel = "URL",
      description =
          "Run as one node of several: redis://HOST[:PORT] carries messages, presence and"
              + " logouts between the nodes, which share one PostgreSQL --db (see"
              + " docs/scaling.md). Default: a single node.")
  String bus;

  @Option(
      names = "--db-password-file",
      paramLabel = "FILE",
      description =
          "File whose first line is the PostgreSQL password, when the URL has none"
              + " (default: the PGPASSWORD environment variable).")
  Path dbPasswordFile;

  @Option(
      names = "--rooms",
      split = ",",
      defaultValue = ChatServer.Defaults.ROOM,
      paramLabel = "ROOM",
      description =
          "Public rooms to create at start when missing, comma-separated (default: ${DEFAULT-VALUE}).")
  List<String> rooms;

  @Option(
      names = "--io-threads",
      paramLabel = "N",
      description = "Event-loop threads (default: one per core, at most 4).")
  Integer ioThreads;

  @Option(
      names = "--workers",
      paramLabel = "N",
      description =
          "Worker threads for REST calls, messages, password hashing (default: two per core).")
  Integer workers;

  @Option(
      names = "--rate-limit",
      defaultValue = "" + ChatServer.Defaults.RATE_LIMIT_PER_SECOND,
      paramLabel = "N",
      description =
          "Messages per second per user, bursts up to twice that; 0 turns it off (default: ${DEFAULT-VALUE}).")
  double rateLimit;

  @Option(
      names = "--fsync",
      description =
          "Make every commit survive power loss, not just a crash of the process (slower).")
  boolean fsync;

  @Option(
      names = "--max-connections",
      defaultValue = "" + ChatServer.Defaults.MAX_CONNECTIONS,
      paramLabel = "N",
      description =
          "Open connections beyond which new ones are refused with 503 (default: ${DEFAULT-VALUE}).")
  int maxConnections;

  @Option(
      names = "--max-message-bytes",
      defaultValue = "" + ChatServer.Defaults.MAX_MESSAGE_BYTES,
      paramLabel = "N",
      description =
          "Largest WebSocket message; larger ones close the socket with 1009 (default: ${DEFAULT-VALUE}).")
  int maxMessageBytes;

  @Option(
      names = "--max-text",
      defaultValue = "" + ChatServer.Defaults.MAX_TEXT_LENGTH,
      paramLabel = "N",
      description = "Longest message text in characters (default: ${DEFAULT-VALUE}).")
  int maxText;

  @Option(
      names = "--max-header-bytes",
      defaultValue = "" + ChatServer.Defaults.MAX_HEADER_BYTES,
      paramLabel = "N",
      description = "Largest HTTP header section; larger ones get 431 (default: ${DEFAULT-VALUE}).")
  int maxHeaderBytes;

  @Option(
      names = "--max-body-bytes",
      defaultValue = "" + ChatServer.Defaults.MAX_BODY_BYTES,
      paramLabel = "N",
      description = "Largest HTTP request body; larger ones get 413 (default: ${DEFAULT-VALUE}).")
  int maxBodyBytes;

  @Option(
      names = "--outbound-limit",
      defaultValue = "" + ChatServer.Defaults.OUTBOUND_LIMIT_BYTES,
      paramLabel = "BYTES",
      description =
          "Unsent bytes a socket may fall behind before it is closed as a slow consumer (1008)"
              + " (default: ${DEFAULT-VALUE}).")
  long outboundLimit;

  @Option(
      names = "--history-memory",
      defaultValue = "" + ChatServer.Defaults.HISTORY_MEMORY_BYTES,
      paramLabel = "BYTES",
      description =
          "Heap for the newest messages of the rooms being read, so that joins and recent pages"
              + " need no query (SQLite only; 0 turns it off) (default: ${DEFAULT-VALUE}).")
  long historyMemory;

  @Option(
      names = "--hello-timeout",
      defaultValue = "" + ChatServer.Defaults.HELLO_TIMEOUT_SECONDS,
      paramLabel = "SECONDS",
      description =
          "Time a new chat socket has to send hello before it is closed with 1008 (default: ${DEFAULT-VALUE}).")
  int helloSeconds;

  @Option(
      names = "--ping-interval",
      defaultValue = "" + ChatServer.Defaults.PING_INTERVAL_SECONDS,
      paramLabel = "SECONDS",
      description =
          "Idle seconds before a socket is pinged; no answer within as long again closes it (default: ${DEFAULT-VALUE}).")
  int pingSeconds;

  @Option(
      names = "--allowed-origin",
      paramLabel = "ORIGIN",
      description =
          "A browser origin allowed to open the chat socket, e.g. https://chat.example.com; repeatable."
              + " Without any, every origin is allowed. Clients that send no Origin are always allowed.")
  List<String> allowedOrigins = List.of();

  @Option(
      names = "--password-threads",
      paramLabel = "N",
      description =
          "Threads that hash passwords for sign-ups and logins; past --password-queue waiting they get 503"
              + " (default: half the cores, at least 1).")
  Integer passwordThreads;

  @Option(
      names = "--password-queue",
      paramLabel = "N",
      description =
          "Sign-ups and logins that may wait for a password thread; past it they get 503 at once"
              + " (default: 64 per password thread).")
  Integer passwordQueue;

  @Option(
      names = "--signup-limit",
      defaultValue = "" + ChatServer.Defaults.SIGNUPS_PER_HOUR,
      paramLabel = "N",
      description =
          "Accounts one client address may create per hour; 0 turns it off (default: ${DEFAULT-VALUE}).")
  int signupsPerHour;

  @Option(
      names = "--login-failures",
      defaultValue = "" + ChatServer.Defaults.LOGIN_FAILURES,
      paramLabel = "N",
      description =
          "Failed logins per user id and client address in 15 minutes before that address waits"
              + " (20 times as many per address) (default: ${DEFAULT-VALUE}).")
  int loginFailures;

  @Option(
      names = "--room-limit",
      defaultValue = "" + ChatServer.Defaults.ROOMS_PER_HOUR,
      paramLabel = "N",
      description =
          "Rooms one user may create per hour; 0 turns it off (default: ${DEFAULT-VALUE}).")
  int roomsPerHour;

  @Option(
      names = "--read-limit",
      defaultValue = "" + ChatServer.Defaults.READS_PER_SECOND,
      paramLabel = "N",
      description =
          "Joins and history reads per second per socket, REST reads per user, bursts of twice that;"
              + " 0 turns it off (default: ${DEFAULT-VALUE}).")
  double readsPerSecond;

  @Option(
      names = "--request-timeout",
      defaultValue = "" + ChatServer.Defaults.REQUEST_TIMEOUT_SECONDS,
      paramLabel = "SECONDS",
      description =
          "Longest an HTTP request may take from its first byte to the end of its body (default: ${DEFAULT-VALUE}).")
  int requestSeconds;

  @Option(
      names = "--max-connections-per-address",
      defaultValue = "" + ChatServer.Defaults.MAX_CONNECTIONS_PER_ADDRESS,
      paramLabel = "N",
      description =
          "Open connections per client address, loopback excepted; 0 turns it off (default: ${DEFAULT-VALUE}).")
  int maxConnectionsPerAddress;

  @Option(
      names = "--max-sessions-per-user",
      defaultValue = "" + ChatServer.Defaults.MAX_SESSIONS_PER_USER,
      paramLabel = "N",
      description =
          "Sessions one user may hold; a login past it ends the oldest (default: ${DEFAULT-VALUE}).")
  int maxSessionsPerUser;

  @Option(
      names = "--no-web",
      description =
          "Do not serve the browser client at / (for hosts that serve their own page); the REST API"
              + " and the chat socket stay.")
  boolean noWeb;

  @Option(
      names = "--log-format",
      defaultValue = "text",
      paramLabel = "FORMAT",
      description =
          "Log lines on stderr: text (time level component: message) or json (one object per"
              + " line); one line per event, times in UTC (default: ${DEFAULT-VALUE}).")
  LogSetup.Format logFormat;

  @Option(
      names = "--access-log",
      description =
          "Log one line per HTTP request: method, path, status, duration (never queries, headers"
              + " or bodies).")
  boolean accessLog;

  @Option(
      names = "--metrics",
      defaultValue = MetricsEndpoint.DEFAULT_ADDRESS,
      paramLabel = "ADDR:PORT",
      description =
          "Where to serve GET /metrics (Prometheus text format) on a listener of its own, or off"
              + " (default: ${DEFAULT-VALUE}, this machine only).")
  String metrics;

  @Override
  public Integer call() {
    LogSetup.install(logFormat, System.err);
    ChatServer.Builder builder;
    InetSocketAddress metricsAddress;
    try {
      builder = settings();
      metricsAddress = metrics.equals("off") ? null : MetricsEndpoint.parse(metrics);
    } catch (IllegalArgumentException e) { // a value out of range, such as --max-connections 0
      System.err.println("chat: " + e.getMessage());
      return 2;
    }
    MetricsEndpoint endpoint = null;
    if (metricsAddress != null) {
      try {
        endpoint = MetricsEndpoint.start(metricsAddress);
      } catch (IOException e) {
        System.err.println(
            "chat: cannot serve metrics on "
                + metrics
                + ": "
                + e.getMessage()
                + " (--metrics off?)");
        return 1;
      }
      builder.meterRegistry(endpoint.registry());
    }
    try (MetricsEndpoint closing = endpoint) {
      return run(builder, closing);
    }
  }

  private int run(ChatServer.Builder builder, MetricsEndpoint endpoint) {
    ChatServer server;
    try {
      server = builder.build().start();
    } catch (BindException e) {
      System.err.println(
          "chat: cannot listen on "
              + host
              + ":"
              + port
              + ": "
              + e.getMessage()
              + " (is another server running there?)");
      return 1;
    } catch (IllegalArgumentException | IllegalStateException e) { // a bad value or combination
      System.err.println("chat: " + e.getMessage());
      return 2;
    } catch (Exception e) {
      System.err.println("chat: cannot start: " + e.getMessage());
      return 1;
    }
    // Handlers first: whoever reads the line below may send SIGTERM at once.
    CountDownLatch stop = new CountDownLatch(1);
    StopSignals.install(stop::countDown);
    if (endpoint != null) {
      InetSocketAddress a = endpoint.address();
      System.out.println(
          "chat server metrics on http://"
              + a.getAddress().getHostAddress()
              + ":"
              + a.getPort()
              + "/metrics");
    }
    System.out.println(
        "chat server listening on "
            + host
            + ":"
            + server.port()
            + " (database "
            + server.database()
            + (server.bus() == null ? "" : ", bus " + server.bus())
            + ")");
    System.out.flush();
    awaitStopSignal(stop);
    System.out.println("chat server: shutting down");
    server.close();
    System.out.println("chat server: stopped");
    return 0;
  }

  /** The options as builder settings; IllegalArgumentException names a value out of range. */
  private ChatServer.Builder settings() {
    ChatServer.Builder builder =
        ChatServer.builder()
            .host(host)
            .port(port)
            .database(db)
            .rooms(rooms)
            .rateLimit(rateLimit)
            .signupsPerHour(signupsPerHour)
            .loginFailures(loginFailures)
            .roomsPerHour(roomsPerHour)
            .readsPerSecond(readsPerSecond)
            .requestTimeout(Duration.ofSeconds(requestSeconds))
            .maxConnectionsPerAddress(maxConnectionsPerAddress)
            .maxSessionsPerUser(maxSessionsPerUser)
            .fsync(fsync)
            .maxConnections(maxConnections)
            .maxMessageBytes(maxMessageBytes)
            .maxTextLength(maxText)
            .maxHeaderBytes(maxHeaderBytes)
            .maxBodyBytes(maxBodyBytes)
            .outboundLimitBytes(outboundLimit)
            .historyMemoryBytes(historyMemory)
            .helloTimeout(Duration.ofSeconds(helloSeconds))
            .pingInterval(Duration.ofSeconds(pingSeconds))
            .allowedOrigins(new LinkedHashSet<>(allowedOrigins))
            .web(!noWeb)
            .accessLog(accessLog);
    if (bus != null) {
      builder.bus(bus);
    }
    if (dbPasswordFile != null) {
      builder.databasePassword(DatabasePasswordFile.read(dbPasswordFile));
    }
    if (ioThreads != null) {
      builder.ioThreads(ioThreads);
    }
    if (workers != null) {
      builder.workers(workers);
    }
    if (passwordThreads != null) {
      builder.passwordThreads(passwordThreads);
    }
    if (passwordQueue != null) {
      builder.passwordQueue(passwordQueue);
    }
    return builder;
  }

  /** Blocks until SIGINT or SIGTERM, so that the command returns (and exits 0) after closing. */
  private static void awaitStopSignal(CountDownLatch stop) {
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
