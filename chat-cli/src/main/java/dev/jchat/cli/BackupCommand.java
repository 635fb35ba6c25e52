package dev.jchat.cli;

import dev.jchat.ChatAdmin;
import dev.jchat.ChatException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chat backup --db chat.db --to FILE}: a consistent copy, also while the server runs. */
@Command(
    name = "backup",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Writes a consistent, compacted copy of a chat database to a new file (SQLite's VACUUM",
      "INTO), also while the server writes to it. Exit codes: 0 done, 1 refused, 2 bad usage."
    })
final class BackupCommand implements Callable<Integer> {
  @Option(
      names = "--db",
      defaultValue = "chat.db",
      paramLabel = "FILE",
      description = "The chat database (default: ./${DEFAULT-VALUE}).")
  Path db;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "FILE",
      description = "The backup file to create; it must not exist.")
  Path to;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    try (ChatAdmin admin = ChatAdmin.open(db)) {
      admin.backupTo(to);
    } catch (ChatException e) {
      spec.commandLine().getErr().println("chat: " + e.getMessage());
      return 1;
    }
    try (ChatAdmin copy = ChatAdmin.open(to)) {
      spec.commandLine()
          .getOut()
          .printf(
              "backed up %s to %s: %d users, %d rooms, %d messages%n",
              db, to, copy.count("users"), copy.count("rooms"), copy.count("messages"));
      spec.commandLine().getOut().flush();
      return 0;
    } catch (ChatException e) {
      spec.commandLine().getErr().println("chat: the backup cannot be read: " + e.getMessage());
      return 1;
    }
  }
}
