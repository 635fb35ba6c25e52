package dev.jchat.cli.client;

import dev.jchat.ChatClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.spi.SystemStream;
import org.jline.terminal.spi.TerminalProvider;
import org.jline.utils.InfoCmp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code chat client}: the terminal client, interactive on a terminal, scriptable otherwise. */
@Command(
    name = "client",
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Chat in the terminal with a chat server (start one with `chat server`).",
      "",
      "On a terminal it signs you in (log in, or register a new user) and joins ROOM;",
      "chat lines appear above the line you are typing. Each message shows its time,",
      "sender and text. Colour is off on dumb terminals and when NO_COLOR is set.",
      "When the connection drops it reconnects and shows what was missed, once.",
      "Given several servers (--server, the nodes of one chat), it uses the first",
      "until it fails, then moves on to the next, and resumes there the same way.",
      "",
      "When stdin is not a terminal it signs in as --user with the password from",
      "CHAT_PASSWORD or --password-file (never from the command line), sends each",
      "line of stdin to ROOM, prints the room's messages as plain lines, and exits",
      "when stdin ends and its messages are acked.",
      ""
    },
    footerHeading = "%nAt the chat prompt:%n",
    footer = {
      Commands.HELP_TEXT,
      "%nEnvironment:",
      "  CHAT_PASSWORD  the password, for scripts (or --password-file)",
      "  NO_COLOR       set to anything: no colour",
      "%nExit codes: 0 success; 1 sign-in failed or messages were not stored;",
      "2 wrong arguments.",
      "%nExamples:",
      "  chat client                          localhost:5200, room general",
      "  chat client 5300 --user alice --room \"Room 1\"",
      "  chat client --server node1:5200,node2:5200,node3:5200",
      "  echo 'build done' | CHAT_PASSWORD=... chat client --user ci --room builds"
    })
public final class ClientCommand implements Callable<Integer> {

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "PORT",
      defaultValue = "5200",
      description = "the server's port (default: ${DEFAULT-VALUE})")
  int port;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      defaultValue = "localhost",
      description = "the server's host (default: ${DEFAULT-VALUE})")
  String host;

  @Option(
      names = "--server",
      split = ",",
      paramLabel = "HOST[:PORT]",
      description = {
        "the servers to use, in order (instead of --host): the nodes of one chat;",
        "on a failure the client moves to the next. PORT defaults to the PORT argument"
      })
  List<String> servers;

  @Option(
      names = {"-u", "--user"},
      paramLabel = "USER",
      description = "the user id to sign in as (asked on a terminal when left out)")
  String user;

  @Option(
      names = {"-r", "--room"},
      paramLabel = "ROOM",
      defaultValue = "general",
      description = "the room to join first (default: ${DEFAULT-VALUE}); may hold spaces")
  String room;

  @Option(
      names = "--password-file",
      paramLabel = "FILE",
      description = "read the password from the first line of FILE")
  Path passwordFile;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "show this help and exit")
  boolean help;

  @Spec CommandSpec spec;

  private final Io io;

  /** The command on the process's streams. */
  public ClientCommand() {
    this(Io.system());
  }

  ClientCommand(Io io) {
    this.io = io;
  }

  /**
   * The streams and environment the client runs with.
   *
   * @param stdinIsTerminal true for the interactive client
   */
  record Io(
      InputStream in,
      PrintStream out,
      PrintStream err,
      Map<String, String> env,
      boolean stdinIsTerminal,
      ChatSession.Settings settings) {
    static Io system() {
      return new Io(
          System.in,
          System.out,
          System.err,
          System.getenv(),
          ClientCommand.stdinIsATerminal(),
          ChatSession.Settings.defaults());
    }
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (port < 1 || port > 65535) {
      throw new ParameterException(spec.commandLine(), "PORT must be 1 to 65535, not " + port);
    }
    if (room.isBlank()) {
      throw new ParameterException(spec.commandLine(), "--room must not be blank");
    }
    List<String> addresses = addresses();
    String password;
    try {
      password = password();
    } catch (IOException e) {
      io.err()
          .println(
              "chat client: cannot read the password file " + passwordFile + ": " + e.getMessage());
      return 2;
    }
    ClientOptions options = new ClientOptions(addresses, port, user, password, room.strip());
    if (!io.stdinIsTerminal()) {
      var in = new BufferedReader(new InputStreamReader(io.in(), StandardCharsets.UTF_8));
      return new ScriptMode(options, in, io.out(), io.err(), io.settings()).run();
    }
    try (Terminal terminal = TerminalBuilder.builder().system(true).name("chat").build()) {
      Integer maxColours = terminal.getNumericCapability(InfoCmp.Capability.max_colors);
      boolean colour =
          Renderer.useColour(
              terminal.getType(), maxColours == null ? 0 : maxColours, io.env().get("NO_COLOR"));
      return new ChatConsole(terminal, options, colour, io.settings()).run();
    }
  }

  /** The servers: those of --server (each checked), or --host alone. */
  private List<String> addresses() {
    if (servers == null) {
      return List.of(host);
    }
    if (spec.commandLine().getParseResult().hasMatchedOption("--host")) {
      throw new ParameterException(spec.commandLine(), "give --host or --server, not both");
    }
    List<String> given = new ArrayList<>();
    for (String server : servers) {
      if (server.isBlank()) {
        throw new ParameterException(spec.commandLine(), "--server has an empty entry");
      }
      given.add(server.strip());
    }
    try {
      ChatClient.builder().servers(given);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--server: " + e.getMessage());
    }
    return given;
  }

  private String password() throws IOException {
    if (passwordFile != null) {
      List<String> lines = Files.readAllLines(passwordFile, StandardCharsets.UTF_8);
      return lines.isEmpty() ? "" : lines.get(0);
    }
    return io.env().get("CHAT_PASSWORD");
  }

  private static boolean stdinIsATerminal() {
    for (String provider : List.of("jni", "exec")) {
      try {
        return TerminalProvider.load(provider).isSystemStream(SystemStream.Input);
      } catch (Throwable unavailable) {
        // try the next way to ask
      }
    }
    return System.console() != null;
  }
}
