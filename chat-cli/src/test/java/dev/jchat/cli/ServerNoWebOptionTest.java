package dev.jchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code chat server --no-web}: the browser client is served unless the option says not to. */
class ServerNoWebOptionTest {

  @Test
  void thePageIsOnUnlessNoWebIsGiven() {
    ServerCommand plain = new ServerCommand();
    new CommandLine(plain).parseArgs("5200");
    assertFalse(plain.noWeb);
    ServerCommand noWeb = new ServerCommand();
    new CommandLine(noWeb).parseArgs("5200", "--no-web");
    assertTrue(noWeb.noWeb);
  }

  @Test
  void helpExplainsNoWeb() {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new ChatCommand());
    cli.setOut(new PrintWriter(out, true));
    assertEquals(0, cli.execute("server", "--help"));
    assertTrue(out.toString().contains("--no-web"), out.toString());
    assertTrue(out.toString().contains("browser client"), out.toString());
  }
}
