package dev.jchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jchat.ChatServer;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chat migrate}'s command line: refusals are one line on stderr with exit 1, never showing
 * the password; usage errors exit 2. The copy itself, against a real PostgreSQL, is proved by
 * chat-core's {@code MigrationTest} through the same public API ({@code ChatMigration}).
 */
class MigrateCommandTest {
  @TempDir Path dir;

  private final InProcessChat cli = new InProcessChat();
  private final StringWriter out = cli.out;
  private final StringWriter err = cli.err;

  private void assertOneLineRefusal(String mustContain) {
    String e = err.toString();
    assertTrue(e.startsWith("chat: ") && e.endsWith("\n") && e.lines().count() == 1, e);
    assertTrue(e.contains(mustContain), e);
  }

  @Test
  void aSourceThatIsNotAChatDatabaseIsRefusedInOneLine() throws Exception {
    Path text = Files.writeString(dir.resolve("notes.txt"), "hello\n");
    for (Path bad : List.of(text, dir.resolve("missing.db"))) {
      assertEquals(
          1,
          cli.run(
              "migrate", "--from", bad.toString(), "--to", "postgresql://jchat@127.0.0.1:1/db"));
      assertOneLineRefusal(bad.toString());
    }
  }

  @Test
  void anUnreachableTargetIsOneLineWithoutThePassword() throws Exception {
    Path db = dir.resolve("chat.db");
    ChatServer.builder().host("127.0.0.1").port(0).database(db).build().start().close();
    Path passwordFile = Files.writeString(dir.resolve("pw"), "file-secret-pw\n");
    assertEquals(
        1,
        cli.run(
            "migrate",
            "--from",
            db.toString(),
            "--to",
            "postgresql://jchat@127.0.0.1:1/nowhere",
            "--to-password-file",
            passwordFile.toString()));
    assertOneLineRefusal("postgresql://jchat@127.0.0.1:1/nowhere");
    assertFalse(err.toString().contains("file-secret-pw"), err::toString);
    assertFalse(out.toString().contains("file-secret-pw"), out::toString);

    assertEquals(
        1,
        cli.run(
            "migrate", "--from", db.toString(), "--to", "postgresql://jchat:url-secret@/nowhere"));
    assertFalse(err.toString().contains("url-secret"), err::toString);
    assertEquals(1, cli.run("migrate", "--from", db.toString(), "--to", "mysql://x/y"));
    assertOneLineRefusal("not a PostgreSQL URL");
  }

  @Test
  void usageErrorsExitTwoAndHelpNamesTheOptions() {
    assertEquals(2, cli.run("migrate", "--from", "chat.db"));
    assertEquals(0, cli.run("migrate", "--help"));
    assertTrue(out.toString().contains("--to-password-file"), out::toString);
  }
}
