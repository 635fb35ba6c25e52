package dev.jchat.cli.client;

import dev.jchat.ChatClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/**
 * The interactive client: a thin JLine shell around {@link SignIn}, {@link ChatSession} and {@link
 * Commands}. Lines from the chat are printed above the line being typed ({@link
 * LineReader#printAbove(String)}), so typing is never broken. Ctrl-C clears the line, Ctrl-D and
 * {@code /quit} leave. Runs on the calling thread.
 */
final class ChatConsole {
  private final Terminal terminal;
  private final ClientOptions options;
  private final Renderer render;
  private final ChatSession.Settings settings;
  private final AtomicReference<Commands> commands = new AtomicReference<>();

  ChatConsole(
      Terminal terminal, ClientOptions options, boolean colour, ChatSession.Settings settings) {
    this.terminal = terminal;
    this.options = options;
    this.render = new Renderer(colour, Clock.systemDefaultZone());
    this.settings = settings;
  }

  /** Runs until the user quits; returns the exit code. */
  int run() {
    LineReader reader =
        LineReaderBuilder.builder()
            .terminal(terminal)
            .appName("chat")
            .parser(new ChatLineParser())
            .completer(new ChatCompleter(this::roomNames))
            .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true) // "!" is text, not history
            .option(LineReader.Option.AUTO_FRESH_LINE, true)
            .variable(LineReader.HISTORY_SIZE, 500)
            .build();
    ChatClient client = options.client();
    String user = options.user();
    String password = options.password();
    while (true) {
      reader.variable(LineReader.DISABLE_HISTORY, true); // user ids are no chat lines
      SignIn.Credentials signedIn =
          new SignIn(client, new Prompts(reader, System.console())).run(user, password);
      reader.variable(LineReader.DISABLE_HISTORY, false);
      if (signedIn == null || chat(reader, client, signedIn) == Commands.Outcome.QUIT) {
        terminal.writer().flush();
        return 0;
      }
      reader.printAbove("Signed out.");
      user = null;
      password = null;
    }
  }

  private Commands.Outcome chat(LineReader reader, ChatClient client, SignIn.Credentials signedIn) {
    Output out = new Above(reader);
    reader.setOpt(
        LineReader.Option.ERASE_LINE_ON_FINISH); // a message shows once, when the server has it
    try (ChatSession session = new ChatSession(client, signedIn, out, render, settings)) {
      Commands run = new Commands(client, session, out, render);
      commands.set(run);
      session.open(List.of(options.room()));
      out.notice(render.notice("type a message and press Enter; /help lists the commands"));
      run.learnRooms();
      while (true) {
        String line;
        try {
          line = reader.readLine(session.prompt());
        } catch (UserInterruptException e) {
          if (e.getPartialLine().isEmpty()) {
            out.notice(render.notice("Ctrl-D or /quit leaves"));
          }
          continue;
        } catch (EndOfFileException e) {
          line = "/quit";
        }
        Commands.Outcome outcome = run.run(line);
        if (outcome != Commands.Outcome.CONTINUE) {
          if (outcome == Commands.Outcome.QUIT) {
            finishSending(session, out);
          }
          return outcome;
        }
      }
    } finally {
      commands.set(null);
      reader.unsetOpt(LineReader.Option.ERASE_LINE_ON_FINISH);
    }
  }

  private void finishSending(ChatSession session, Output out) {
    try {
      SendProgress progress = session.progress();
      if (!progress.awaitSent(Duration.ofSeconds(3))) {
        int n = progress.unackedCount();
        out.notice(
            render.error(
                n + " " + JoinedRooms.plural(n, "message") + " not confirmed by the server"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Collection<String> roomNames() {
    Commands c = commands.get();
    return c == null ? List.of() : c.roomNames();
  }

  /** Chat lines go above the prompt and what is being typed. */
  private static final class Above implements Output {
    private final LineReader reader;

    Above(LineReader reader) {
      this.reader = reader;
    }

    @Override
    public void show(String line) {
      reader.printAbove(line);
    }

    @Override
    public void notice(String line) {
      reader.printAbove(line);
    }
  }

  /**
   * The sign-in dialogue on the terminal; passwords are masked. A dumb terminal cannot turn echo
   * off, and JLine's way around that repaints the prompt from a thread, which garbles the lines
   * after it; there the system console reads the password, when there is one.
   */
  private static final class Prompts implements SignIn.Prompter {
    private final LineReader reader;
    private final java.io.Console console;

    Prompts(LineReader reader, java.io.Console systemConsole) {
      this.reader = reader;
      this.console = Renderer.isDumb(reader.getTerminal().getType()) ? systemConsole : null;
    }

    @Override
    public String line(String prompt) {
      return read(prompt, null);
    }

    @Override
    public String secret(String prompt) {
      if (console == null) {
        return read(prompt, '*');
      }
      char[] password = console.readPassword("%s", prompt);
      return password == null ? null : new String(password);
    }

    @Override
    public void say(String text) {
      reader.printAbove(text);
    }

    private String read(String prompt, Character mask) {
      try {
        return reader.readLine(prompt, mask);
      } catch (UserInterruptException | EndOfFileException e) {
        return null;
      }
    }
  }
}
