package dev.jchat.testing;

import dev.jchat.internal.store.PostgresStore;
import dev.jchat.internal.store.PostgresUrl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for the tests: Debian's {@code postgresql} binaries, a cluster made with
 * {@code initdb} in a temporary directory (text collated by ICU's {@code en-US}), listening on a
 * free port of 127.0.0.1 and on a unix socket in that directory. Started once per test JVM on first
 * use, and stopped by its PID ({@code pg_ctl stop}, which signals the postmaster named in its PID
 * file) when the JVM exits.
 *
 * <p>PostgreSQL refuses to run as root; as root, the cluster belongs to the {@code postgres} user
 * and every command runs as that user through {@code setpriv}. Missing binaries are an error with
 * the fix in its message, never a skipped test.
 */
public final class PostgresCluster {
  /** Where Debian's {@code postgresql} packages put their versions; JCHAT_PG_BIN overrides it. */
  private static final Path DEBIAN_VERSIONS = Path.of("/usr/lib/postgresql");

  private static final String USER = "jchat";
  private static final String PASSWORD = "test-secret-pw";

  /** A database holding the chat schema and nothing else, which chat databases are copies of. */
  private static final String TEMPLATE = "jchat_template";

  /** How many chat databases the background thread keeps made ahead. */
  private static final int READY_AHEAD = 2;

  private static PostgresCluster shared;

  private final Path bin;
  private final Path dir;
  private final boolean asPostgresUser;
  private final int port;
  private long pid; // guarded by this
  private final AtomicInteger databases = new AtomicInteger();

  /** Databases with the chat schema, made ahead by {@link #makeChatDatabases()}. */
  private final BlockingQueue<String> ready = new ArrayBlockingQueue<>(READY_AHEAD);

  private volatile RuntimeException makerFailure;
  private Thread maker;

  private PostgresCluster(Path bin, Path dir, boolean asPostgresUser, int port, long pid) {
    this.bin = bin;
    this.dir = dir;
    this.asPostgresUser = asPostgresUser;
    this.port = port;
    this.pid = pid;
  }

  /** The cluster of this JVM, started on first use. */
  public static synchronized PostgresCluster shared() {
    if (shared == null) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "postgres-cluster-stop"));
    }
    return shared;
  }

  /**
   * A cluster of the caller's own, for a test that stops and starts PostgreSQL ({@link
   * #stopServer}, {@link #startServer}) without disturbing the others; the caller closes it.
   */
  public static PostgresCluster startOwn() {
    return start();
  }

  /** The bin directory of the newest PostgreSQL Debian installed (15 on Debian 12). */
  private static Path newestDebianBin() {
    Path newest = DEBIAN_VERSIONS.resolve("15").resolve("bin");
    int best = -1;
    try (var versions = Files.list(DEBIAN_VERSIONS)) {
      for (Path v : versions.toList()) {
        String name = v.getFileName().toString();
        if (name.matches("\\d+")
            && Integer.parseInt(name) > best
            && Files.isExecutable(v.resolve("bin").resolve("initdb"))) {
          best = Integer.parseInt(name);
          newest = v.resolve("bin");
        }
      }
    } catch (IOException e) {
      // no PostgreSQL installed: the check below says what to do
    }
    return newest;
  }

  private static PostgresCluster start() {
    String override = System.getenv("JCHAT_PG_BIN");
    Path bin = override != null ? Path.of(override) : newestDebianBin();
    if (!Files.isExecutable(bin.resolve("initdb")) || !Files.isExecutable(bin.resolve("pg_ctl"))) {
      throw new IllegalStateException(
          "PostgreSQL server binaries not found in "
              + bin
              + ": install Debian's postgresql package (./test does), or set JCHAT_PG_BIN to the"
              + " directory holding initdb and pg_ctl");
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    try {
      Path dir = Files.createTempDirectory("jchat-pg-");
      Files.writeString(dir.resolve("pwfile"), PASSWORD + "\n", StandardCharsets.UTF_8);
      if (root) {
        run(List.of("chown", "-R", "postgres:postgres", dir.toString()), false, dir);
      }
      Path data = dir.resolve("data");
      run(
          List.of(
              bin.resolve("initdb").toString(),
              "-D",
              data.toString(),
              "-U",
              USER,
              "--pwfile=" + dir.resolve("pwfile"),
              "--auth-local=trust",
              "--auth-host=scram-sha-256",
              "-E",
              "UTF8",
              "--no-locale",
              // Text sorts by ICU's en-US rules, as in most production databases (en_US.UTF-8),
              // not byte by byte: the C locale would hide an ORDER BY that differs from SQLite's.
              "--locale-provider=icu",
              "--icu-locale=en-US",
              "--no-sync"),
          root,
          dir);
      int port = freePort();
      startPostmaster(bin, dir, port, root);
      String pidLine = Files.readAllLines(data.resolve("postmaster.pid")).get(0).strip();
      return new PostgresCluster(bin, dir, root, port, Long.parseLong(pidLine));
    } catch (IOException e) {
      throw new UncheckedIOException("start PostgreSQL", e);
    }
  }

  private static void startPostmaster(Path bin, Path dir, int port, boolean root)
      throws IOException {
    // fsync off: the tests kill the server, never the machine
    String options =
        "-p "
            + port
            + " -k "
            + dir
            + " -c listen_addresses=127.0.0.1 -c fsync=off"
            + " -c max_connections=300";
    run(
        List.of(
            bin.resolve("pg_ctl").toString(),
            "-D",
            dir.resolve("data").toString(),
            "-l",
            dir.resolve("server.log").toString(),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start"),
        root,
        dir);
  }

  /** Stops the postmaster (fast: every connection is cut); the data stays. */
  public synchronized void stopServer() {
    try {
      pgCtlStop();
    } catch (IOException e) {
      throw new UncheckedIOException("stop PostgreSQL", e);
    }
  }

  /** {@code pg_ctl stop -m fast}: cuts every connection and waits until the postmaster is gone. */
  private void pgCtlStop() throws IOException {
    run(
        List.of(
            bin.resolve("pg_ctl").toString(),
            "-D",
            dir.resolve("data").toString(),
            "-m",
            "fast",
            "-w",
            "stop"),
        asPostgresUser,
        dir);
  }

  /** Starts the postmaster again, on the same port and data, after {@link #stopServer}. */
  public synchronized void startServer() {
    try {
      startPostmaster(bin, dir, port, asPostgresUser);
      pid =
          Long.parseLong(
              Files.readAllLines(dir.resolve("data").resolve("postmaster.pid")).get(0).strip());
    } catch (IOException e) {
      throw new UncheckedIOException("start PostgreSQL", e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void run(List<String> command, boolean asPostgresUser, Path dir)
      throws IOException {
    List<String> full = new ArrayList<>();
    if (asPostgresUser) {
      full.addAll(
          List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"));
    }
    full.addAll(command);
    Path output = Files.createTempFile(dir, "command-", ".log");
    Process process =
        new ProcessBuilder(full)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    try {
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", full) + " did not finish in 120 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          String.join(" ", full)
              + " failed with exit code "
              + process.exitValue()
              + ":\n"
              + Files.readString(output));
    }
  }

  /** The port on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** The superuser's password (a test constant). */
  public String password() {
    return PASSWORD;
  }

  public String user() {
    return USER;
  }

  /** A new, empty database; returns its libpq URI, {@code postgresql://jchat@127.0.0.1:N/db}. */
  public String newDatabase() {
    return url(create("CREATE DATABASE ", ""));
  }

  /**
   * A new database that already holds the chat schema and no rows (a copy of a migrated template),
   * for a server to start on; its URI with the password. The suites' PostgreSQL execution takes one
   * per server ({@link TestStore}), so a background thread keeps {@value #READY_AHEAD} made ahead
   * and a test rarely waits for {@code CREATE DATABASE}.
   */
  public String newChatDatabaseWithPassword() {
    synchronized (this) {
      if (maker == null) {
        execute("CREATE DATABASE " + TEMPLATE);
        // opening the store migrates it: the chat schema, no rows
        PostgresStore.open(PostgresUrl.parse(withPassword(url(TEMPLATE)), null, Map.of()), 1)
            .close();
        maker = new Thread(this::makeChatDatabases, "postgres-database-maker");
        maker.setDaemon(true);
        maker.start();
      }
    }
    try {
      String name = ready.poll(120, TimeUnit.SECONDS);
      if (name == null) {
        throw new IllegalStateException("no database made in 120 s", makerFailure);
      }
      return withPassword(url(name));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The background thread: copies the template while fewer than {@value #READY_AHEAD} wait. */
  private void makeChatDatabases() {
    try {
      while (true) {
        String name = create("CREATE DATABASE ", " TEMPLATE " + TEMPLATE);
        warm(name);
        ready.put(name);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      makerFailure = e;
    }
  }

  /**
   * Connects to a new database once, so that its first backend, which builds the catalog caches of
   * that database from scratch, is this thread's and not the next server's.
   */
  private void warm(String name) {
    try (Connection c = connect(name);
        Statement statement = c.createStatement()) {
      statement.execute("SELECT count(*) FROM jchat_schema, users, rooms, messages WHERE false");
    } catch (SQLException e) {
      throw new IllegalStateException("connect to " + name + ": " + e.getMessage(), e);
    }
  }

  /** Creates a database of a new name with {@code prefix + name + suffix}; returns the name. */
  private String create(String prefix, String suffix) {
    String name = "test_" + databases.incrementAndGet() + "_" + ProcessHandle.current().pid();
    execute(prefix + name + suffix);
    return name;
  }

  /** Runs one statement in the maintenance database. */
  private void execute(String sql) {
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port + "/postgres", USER, PASSWORD);
        Statement statement = c.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  private String url(String database) {
    return "postgresql://" + USER + "@127.0.0.1:" + port + "/" + database;
  }

  private static String withPassword(String url) {
    return url.replace(USER + "@", USER + ":" + PASSWORD + "@");
  }

  /** {@link #newDatabase()} with the password in the URI. */
  public String newDatabaseWithPassword() {
    return withPassword(newDatabase());
  }

  /**
   * A JDBC connection, as the test user, to the database of a URL {@link #newDatabase()} gave (with
   * or without the password).
   */
  public Connection connect(String url) throws SQLException {
    String name = url.substring(url.lastIndexOf('/') + 1);
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port + "/" + name, USER, PASSWORD);
  }

  /** Stops the postmaster (fast shutdown of the PID in its PID file) and deletes the cluster. */
  public synchronized void stop() {
    try {
      pgCtlStop();
    } catch (IOException | RuntimeException e) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
    deleteTree(dir);
  }

  /**
   * Deletes the cluster's directory in an {@code rm -rf} that is not waited for: the hundreds of
   * databases of the suites' PostgreSQL execution take longer to delete than surefire grants a test
   * JVM to exit (30 s).
   */
  private static void deleteTree(Path dir) {
    try {
      new ProcessBuilder("rm", "-rf", dir.toString())
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      return;
    } catch (IOException e) {
      // no rm: delete it here
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temporary directory
    }
  }
}
