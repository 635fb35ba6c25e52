package dev.jchat.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code chat client} without a terminal, and its failures; the chat itself is in {@code
 * ClientEndToEndTest}.
 */
class ClientCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final StringWriter usage = new StringWriter();

  int run(String stdin, Map<String, String> env, String... args) {
    var io =
        new ClientCommand.Io(
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            env,
            false,
            ChatSession.Settings.defaults());
    CommandLine cli = new CommandLine(new ClientCommand(io));
    cli.setErr(new PrintWriter(usage, true));
    return cli.execute(args);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void withoutATerminalAUserAndPasswordAreNeeded() {
    assertEquals(2, run("hi\n", Map.of(), "--user", "alice"));
    assertTrue(err().contains("CHAT_PASSWORD or --password-file"), err());
    assertEquals(2, run("hi\n", Map.of("CHAT_PASSWORD", "password1")));
  }

  @Test
  void aServerThatIsNotRunningFailsWithOneClearLine() throws IOException {
    int port = SignInTest.closedPort();
    int code =
        run(
            "hi\n",
            Map.of("CHAT_PASSWORD", "password1"),
            "--host",
            "127.0.0.1",
            "--user",
            "alice",
            String.valueOf(port));
    assertEquals(1, code);
    assertEquals(
        "chat client: Cannot reach the chat server at 127.0.0.1:"
            + port
            + " (connection refused). Is `chat server "
            + port
            + "` running there?"
            + System.lineSeparator(),
        err());
  }

  @Test
  void withSeveralServersDownEachIsTriedAndNamed() throws IOException {
    int one = SignInTest.closedPort();
    int two = SignInTest.closedPort();
    int code =
        run(
            "hi\n",
            Map.of("CHAT_PASSWORD", "password1"),
            "--server",
            "127.0.0.1:" + one + ",127.0.0.1:" + two,
            "--user",
            "alice");
    assertEquals(1, code);
    assertEquals(
        "chat client: Cannot reach any of the chat servers 127.0.0.1:"
            + one
            + ", 127.0.0.1:"
            + two
            + " (connection refused)."
            + System.lineSeparator(),
        err());
  }

  @Test
  void serverListsThatMakeNoSenseAreUsageErrors() {
    assertEquals(2, run("", Map.of(), "--server", "a:1", "--host", "b"));
    assertTrue(usage.toString().contains("give --host or --server, not both"), usage.toString());
    assertEquals(2, run("", Map.of(), "--server", "a:1,b:99999"));
    assertTrue(usage.toString().contains("--server: the port in 'b:99999'"), usage.toString());
    assertEquals(2, run("", Map.of(), "--server", "a:1,,b:2"));
    assertTrue(usage.toString().contains("--server has an empty entry"), usage.toString());
  }

  @Test
  void anUnreadablePasswordFileIsSaidAndFails(@TempDir Path dir) {
    assertEquals(
        2,
        run("", Map.of(), "--user", "alice", "--password-file", dir.resolve("missing").toString()));
    assertTrue(err().contains("cannot read the password file"), err());
  }

  @Test
  void thePasswordFileIsReadWhenGiven(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("pw"), "password1\n");
    int port = SignInTest.closedPort();
    // gets as far as the server, which proves the password was accepted as given
    assertEquals(
        1,
        run(
            "",
            Map.of(),
            "--host",
            "127.0.0.1",
            "--user",
            "alice",
            "--password-file",
            file.toString(),
            String.valueOf(port)));
    assertTrue(err().contains("Cannot reach the chat server"), err());
  }

  @Test
  void aPortOutOfRangeIsAUsageError() {
    assertEquals(2, run("", Map.of(), "70000"));
    assertTrue(usage.toString().contains("PORT must be 1 to 65535"), usage.toString());
  }
}
