package dev.jchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ChatCommandTest {
  private final StringWriter out = new StringWriter();

  private int run(String... args) {
    CommandLine cli = new CommandLine(new ChatCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(out, true));
    return cli.execute(args);
  }

  @Test
  void helpListsTheClient() {
    assertEquals(0, run("--help"));
    assertTrue(out.toString().matches("(?s).*\\n  client +Chat in the terminal.*"), out.toString());
  }

  @Test
  void clientHelpExplainsOptionsCommandsAndScripting() {
    assertEquals(0, run("client", "--help"));
    String help = out.toString();
    for (String expected :
        new String[] {
          "[PORT]",
          "--host",
          "--user",
          "--room",
          "--password-file",
          "CHAT_PASSWORD",
          "NO_COLOR",
          "/join ROOM",
          "/create ROOM [--private] [MEMBER...]",
          "/history [N]",
          "/quit",
          "take the rest of the",
          "Exit codes"
        }) {
      assertTrue(help.contains(expected), "no " + expected + " in\n" + help);
    }
  }

  @Test
  void generatesABashAndZshCompletionScriptForEverySubcommand() {
    assertEquals(0, run("completion"));
    String script = out.toString();
    assertTrue(script.contains("complete -F _complete_chat"), script);
    for (String word : new String[] {"server", "client", "bench", "--max-connections"}) {
      assertTrue(script.contains(word), "the completion script does not know " + word);
    }
  }

  @Test
  void versionWorks() {
    assertEquals(0, run("--version"));
    assertTrue(out.toString().startsWith("chat "), out.toString());
  }

  @Test
  void aPasswordCannotBeGivenOnTheCommandLine() {
    assertEquals(2, run("client", "--password", "secret123"));
  }

  @Test
  void severalNodesNeedAPostgresqlDatabase(@TempDir Path dir) {
    assertEquals(0, run("server", "--help"));
    assertTrue(out.toString().contains("--bus=URL"), out.toString());
    assertEquals(
        2,
        run(
            "server",
            "0",
            "--host",
            "127.0.0.1",
            "--metrics",
            "off",
            "--db",
            dir.resolve("chat.db").toString(),
            "--bus",
            "redis://127.0.0.1:1"));
    assertEquals(2, run("server", "0", "--metrics", "off", "--bus", "http://not-redis"));
  }
}
