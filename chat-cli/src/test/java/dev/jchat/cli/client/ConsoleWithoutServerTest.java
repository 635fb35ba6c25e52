package dev.jchat.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The console on a terminal when no server runs: it says so, retries, and quits on Ctrl-D. */
class ConsoleWithoutServerTest {

  @Test
  void noServerSaysWhereItLookedAndCtrlDQuitsCleanly() throws Exception {
    int port = SignInTest.closedPort();
    try (TestTerminal t = new TestTerminal()) {
      ClientOptions options = new ClientOptions("127.0.0.1", port, "alice", null, "general");
      CompletableFuture<Integer> exit = t.run(options, ChatSession.Settings.defaults());
      int at =
          t.await(
              "Cannot reach the chat server at 127.0.0.1:"
                  + port
                  + " (connection refused). Is `chat server "
                  + port
                  + "` running there?");
      t.await("Press Enter to try again, Ctrl-D to quit.", at);
      t.line("");
      at = t.await("Cannot reach the chat server", at);
      t.endOfInput();
      assertEquals(0, exit.get(30, TimeUnit.SECONDS));
      assertEquals(2, t.count("Cannot reach the chat server"), t.screen());
    }
  }
}
