package dev.jchat.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A throwaway PostgreSQL server for a benchmark: Debian's binaries (the newest version under {@code
 * /usr/lib/postgresql}, or the directory in {@code JCHAT_PG_BIN}), a cluster made with {@code
 * initdb} in a temporary directory, listening on a free port of 127.0.0.1 (and a unix socket in
 * that directory) with PostgreSQL's default settings ({@code fsync} on), but for the given {@code
 * synchronous_commit}. As root, the cluster belongs to the {@code postgres} user and every command
 * runs as that user through {@code setpriv}, as PostgreSQL refuses to run as root.
 *
 * <p>{@link #close()}, or the JVM's exit without it, stops the postmaster by the PID in its PID
 * file ({@code pg_ctl stop}; if that fails, SIGKILL to that PID) and deletes the directory. The
 * minimal startup of chat-core's test {@code PostgresCluster}, which this module cannot depend on.
 */
final class PostgresServer implements AutoCloseable {
  private static final String USER = "bench";
  private static final String PASSWORD = "bench-secret-pw";

  private final Path bin;
  private final TempDirectory dir;
  private final boolean asPostgresUser;
  private final int port;
  private final long pid;

  /**
   * Stops the server when the JVM exits without {@link #close()}: JMH skips the trial's teardown
   * after a failed iteration.
   */
  private final Thread stopAtExit = new Thread(this::stop, "postgres-server-stop");

  private final AtomicBoolean stopped = new AtomicBoolean();

  private PostgresServer(Path bin, TempDirectory dir, boolean asPostgresUser, int port, long pid) {
    this.bin = bin;
    this.dir = dir;
    this.asPostgresUser = asPostgresUser;
    this.port = port;
    this.pid = pid;
    Runtime.getRuntime().addShutdownHook(stopAtExit);
  }

  /**
   * Makes a cluster and starts it; fails with the fix in the message when there is no server.
   *
   * @param synchronousCommit PostgreSQL's {@code synchronous_commit}: {@code on} (the default)
   *     flushes the WAL to disk at each commit, {@code off} lets the WAL writer do it moments later
   */
  static PostgresServer start(String synchronousCommit) throws IOException {
    Path bin = binaries();
    boolean root = "root".equals(System.getProperty("user.name"));
    TempDirectory dir = TempDirectory.create("jchat-bench-pg-");
    try {
      Files.writeString(dir.resolve("pwfile"), PASSWORD + "\n", StandardCharsets.UTF_8);
      if (root) {
        run(List.of("chown", "-R", "postgres:postgres", dir.path().toString()), false, dir);
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
              "--no-locale"),
          root,
          dir);
      int port = freePort();
      String options =
          "-p "
              + port
              + " -k "
              + dir.path()
              + " -c listen_addresses=127.0.0.1 -c synchronous_commit="
              + synchronousCommit;
      run(
          List.of(
              bin.resolve("pg_ctl").toString(),
              "-D",
              data.toString(),
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
      long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).strip());
      return new PostgresServer(bin, dir, root, port, pid);
    } catch (IOException | RuntimeException e) {
      dir.close();
      throw e;
    }
  }

  /** The URL of its {@code postgres} database, with the password, as the server's --db takes it. */
  String url() {
    return "postgresql://" + USER + ":" + PASSWORD + "@127.0.0.1:" + port + "/postgres";
  }

  private static Path binaries() {
    String override = System.getenv("JCHAT_PG_BIN");
    Path bin = override != null ? Path.of(override) : newestDebianBin();
    if (!Files.isExecutable(bin.resolve("initdb")) || !Files.isExecutable(bin.resolve("pg_ctl"))) {
      throw new IllegalStateException(
          "PostgreSQL server binaries not found in "
              + bin
              + ": install Debian's postgresql package, or set JCHAT_PG_BIN to the directory"
              + " holding initdb and pg_ctl");
    }
    return bin;
  }

  private static Path newestDebianBin() {
    Path versions = Path.of("/usr/lib/postgresql");
    Path newest = versions.resolve("15").resolve("bin");
    int best = -1;
    try (var each = Files.list(versions)) {
      for (Path v : each.toList()) {
        String name = v.getFileName().toString();
        if (name.matches("\\d+")
            && Integer.parseInt(name) > best
            && Files.isExecutable(v.resolve("bin").resolve("initdb"))) {
          best = Integer.parseInt(name);
          newest = v.resolve("bin");
        }
      }
    } catch (IOException e) {
      // none installed: binaries() says what to do
    }
    return newest;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void run(List<String> command, boolean asPostgresUser, TempDirectory dir)
      throws IOException {
    List<String> full = new ArrayList<>();
    if (asPostgresUser) {
      full.addAll(
          List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"));
    }
    full.addAll(command);
    Path output = dir.resolve("command.log");
    Process process =
        new ProcessBuilder(full)
            .directory(dir.path().toFile())
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

  /** Stops the postmaster (fast shutdown of the PID in its PID file) and deletes the cluster. */
  @Override
  public void close() {
    Runtime.getRuntime().removeShutdownHook(stopAtExit);
    stop();
  }

  private void stop() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    try {
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
    } catch (IOException | RuntimeException e) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
    dir.close();
  }
}
