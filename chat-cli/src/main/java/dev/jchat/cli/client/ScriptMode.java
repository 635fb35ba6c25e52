package dev.jchat.cli.client;

import dev.jchat.ChatClient;
import dev.jchat.ChatException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The client when stdin is not a terminal: sends each line of stdin to the room, prints the room's
 * messages as plain lines on stdout (everything else on stderr), and when stdin ends exits once its
 * messages are acked: 0 when all were stored, 1 otherwise. Runs on the calling thread.
 */
final class ScriptMode {
  /** Lines read ahead of their acks; past it, reading waits. */
  private static final int READ_AHEAD = 100;

  private static final Duration ECHO_PATIENCE = Duration.ofSeconds(2);

  private final ClientOptions options;
  private final BufferedReader in;
  private final PrintStream out;
  private final PrintStream err;
  private final ChatSession.Settings settings;

  ScriptMode(
      ClientOptions options,
      BufferedReader in,
      PrintStream out,
      PrintStream err,
      ChatSession.Settings settings) {
    this.options = options;
    this.in = in;
    this.out = out;
    this.err = err;
    this.settings = settings;
  }

  int run() throws IOException, InterruptedException {
    if (options.user() == null || options.password() == null) {
      err.println(
          "chat client: without a terminal, give --user, and the password in CHAT_PASSWORD or --password-file");
      return 2;
    }
    ChatClient client = options.client();
    try {
      client.login(options.user(), options.password());
    } catch (ChatException e) {
      err.println("chat client: " + signInProblem(client, e));
      return 1;
    }
    Renderer render = new Renderer(false, Clock.systemDefaultZone());
    Output output =
        new Output() {
          @Override
          public void show(String line) {
            out.println(line);
          }

          @Override
          public void notice(String line) {
            err.println(line);
          }
        };
    Duration patience = client.timeout().multipliedBy(3);
    try (ChatSession session =
        new ChatSession(
            client,
            new SignIn.Credentials(options.user(), options.password()),
            output,
            render,
            settings)) {
      session.open(List.of(options.room()));
      SendProgress progress = session.progress();
      int refused = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        if (session.currentRoom() == null) {
          refused++;
          continue; // the join failed, and said why
        }
        if (!progress.awaitRoomToSend(READ_AHEAD, patience)) {
          break;
        }
        session.say(line);
      }
      boolean acked = progress.awaitSent(patience);
      if (acked) {
        progress.awaitOwnEcho(ECHO_PATIENCE); // so its own last line shows too, if it comes soon
      }
      out.flush();
      if (!acked) {
        err.println(
            "chat client: "
                + progress.unackedCount()
                + " messages were not confirmed by the server");
        return 1;
      }
      return refused + progress.failedSends() > 0 ? 1 : 0;
    }
  }

  private String signInProblem(ChatClient client, ChatException e) {
    switch (e.code()) {
      case "unauthorized":
        return "wrong user id or password for " + options.user();
      case "unavailable":
        return SignIn.unreachable(client, e);
      default:
        return e.getMessage();
    }
  }
}
