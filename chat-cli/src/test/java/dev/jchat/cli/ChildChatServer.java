package dev.jchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code chat server ...} in a child JVM on this test's class path: waits for its listening line,
 * collects its stderr lines, and stops it with SIGTERM, expecting exit 0.
 */
public final class ChildChatServer implements AutoCloseable {
  private static final Pattern LISTENING =
      Pattern.compile("chat server listening on [^ ]+:(\\d+) .*");
  private static final Pattern METRICS =
      Pattern.compile("chat server metrics on http://[^ ]+:(\\d+)/metrics");

  private final Process process;
  private final BlockingQueue<String> errLines = new LinkedBlockingQueue<>();
  private int port;
  private int metricsPort = -1;

  private ChildChatServer(Process process) {
    this.process = process;
  }

  /** Starts {@code chat server 0 --host 127.0.0.1 --db DIR/chat.db ARGS...}. */
  static ChildChatServer start(Path dir, String... args) throws IOException {
    return startOn(dir.resolve("chat.db").toString(), args);
  }

  /**
   * Starts {@code chat server 0 --host 127.0.0.1 --db DATABASE ARGS...}: a file, or a PostgreSQL
   * URL.
   */
  public static ChildChatServer startOn(String database, String... args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ChatCommand.class.getName(),
                "server",
                "0",
                "--host",
                "127.0.0.1",
                "--db",
                database));
    command.addAll(List.of(args));
    ChildChatServer server = new ChildChatServer(new ProcessBuilder(command).start());
    Thread reader = new Thread(server::drainStderr, "child-server-stderr");
    reader.setDaemon(true);
    reader.start();
    server.awaitListening();
    return server;
  }

  public int port() {
    return port;
  }

  /** SIGKILL (no drain, no close frames), and waits until the process is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "still running 30 s after SIGKILL");
  }

  /** The metrics listener's port; -1 when it printed none (--metrics off). */
  int metricsPort() {
    return metricsPort;
  }

  /** The next line the server writes on stderr, waiting up to 30 s; null if none came. */
  String nextErrLine() throws InterruptedException {
    return errLines.poll(30, TimeUnit.SECONDS);
  }

  private void awaitListening() throws IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = out.readLine()) != null; ) {
      Matcher metrics = METRICS.matcher(line);
      if (metrics.matches()) {
        metricsPort = Integer.parseInt(metrics.group(1));
      }
      Matcher m = LISTENING.matcher(line);
      if (m.matches()) {
        port = Integer.parseInt(m.group(1));
        return;
      }
    }
    throw new AssertionError("the server exited before it listened; stderr: " + errLines);
  }

  private void drainStderr() {
    try (BufferedReader err =
        new BufferedReader(
            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = err.readLine()) != null; ) {
        errLines.add(line);
      }
    } catch (IOException e) {
      errLines.add("(stderr unreadable: " + e + ")");
    }
  }

  @Override
  public void close() {
    if (!process.isAlive()) {
      return; // killed by the test
    }
    process.destroy();
    try {
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "no exit 30 s after SIGTERM");
      assertEquals(0, process.exitValue(), "exit code after SIGTERM");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while the server stopped", e);
    } finally {
      process.destroyForcibly();
    }
  }
}
