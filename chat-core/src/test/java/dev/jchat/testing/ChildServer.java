package dev.jchat.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ChildServerMain} in a JVM of its own, which a test may kill or starve of file
 * descriptors.
 */
public final class ChildServer implements AutoCloseable {
  private final Process process;
  private final Path log;

  private ChildServer(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * @param db the SQLite file, or in the PostgreSQL execution the database standing for it ({@link
   *     TestStore})
   * @param openFileLimit when positive, the child runs under {@code ulimit -n} of this (through
   *     bash, so Linux and the like only)
   * @param log where the child's standard error goes
   */
  public static ChildServer start(Path db, boolean fsync, int openFileLimit, Path log)
      throws IOException {
    return start(TestStore.database(db), fsync, openFileLimit, log);
  }

  /** A node of several: on a PostgreSQL {@code database}, joined to the others by {@code bus}. */
  public static ChildServer startNode(String database, String bus, Path log) throws IOException {
    return start(database, List.of(bus), 0, log);
  }

  /** The same on a database given as a file path or a PostgreSQL URL. */
  public static ChildServer start(String database, boolean fsync, int openFileLimit, Path log)
      throws IOException {
    return start(database, fsync ? List.of("fsync") : List.of(), openFileLimit, log);
  }

  private static ChildServer start(
      String database, List<String> options, int openFileLimit, Path log) throws IOException {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                ChildServerMain.class.getName(),
                database));
    command.addAll(options);
    if (openFileLimit > 0) {
      List<String> quoted = command.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").toList();
      command =
          List.of(
              "bash", "-c", "ulimit -n " + openFileLimit + " && exec " + String.join(" ", quoted));
    }
    Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
    return new ChildServer(p, log);
  }

  /** Waits for the child to listen and returns its port. */
  public int port() throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line =
        CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return out.readLine();
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                })
            .get(60, TimeUnit.SECONDS);
    assertNotNull(line, () -> "the child server did not start: " + log());
    assertTrue(line.startsWith("PORT "), line);
    return Integer.parseInt(line.substring(5).trim());
  }

  /** SIGKILL, and wait until it is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the child server did not die");
  }

  /** What the child wrote to standard error so far. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Override
  public void close() {
    // not waiting for the exit: a test that needs the child gone calls kill()
    process.destroyForcibly();
  }
}
