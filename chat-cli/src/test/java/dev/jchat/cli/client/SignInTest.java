package dev.jchat.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jchat.ChatClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sign-in dialogue without a server; with one, see {@code ClientEndToEndTest}. */
class SignInTest {

  /** Answers prompts from a script; null (quit) when it runs out. */
  static final class ScriptedPrompter implements SignIn.Prompter {
    final Deque<String> answers;
    final List<String> said = new ArrayList<>();
    final List<String> asked = new ArrayList<>();

    ScriptedPrompter(String... answers) {
      this.answers = new ArrayDeque<>(List.of(answers));
    }

    @Override
    public String line(String prompt) {
      asked.add(prompt);
      return answers.poll();
    }

    @Override
    public String secret(String prompt) {
      asked.add(prompt);
      return answers.poll();
    }

    @Override
    public void say(String text) {
      said.add(text);
    }
  }

  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void aServerThatIsNotRunningGetsOneClearLineAndAnotherChance() throws IOException {
    int port = closedPort();
    ChatClient client = ChatClient.builder().host("127.0.0.1").port(port).build();
    ScriptedPrompter prompter = new ScriptedPrompter(""); // Enter once, then Ctrl-D
    assertNull(new SignIn(client, prompter).run("alice", "password1"));
    assertEquals(2, prompter.said.size(), "one line per try: " + prompter.said);
    String line = prompter.said.get(0);
    assertEquals(
        "Cannot reach the chat server at 127.0.0.1:"
            + port
            + " (connection refused). "
            + "Is `chat server "
            + port
            + "` running there?",
        line);
    assertTrue(prompter.asked.get(0).contains("try again"), prompter.asked.toString());
  }
}
