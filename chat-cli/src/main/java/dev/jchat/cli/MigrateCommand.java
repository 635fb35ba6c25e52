package dev.jchat.cli;

import dev.jchat.ChatException;
import dev.jchat.ChatMigration;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chat migrate --from chat.db --to postgresql://...}: moves a chat to PostgreSQL. */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Copies a chat database from its SQLite file to an empty PostgreSQL database: users with",
      "their password hashes, sessions, rooms, members, messages with their seqs and refs. The",
      "copy is one transaction, verified (counts, every room's last seq) before it commits.",
      "Stop the server on the file first. Exit codes: 0 done, 1 refused or failed, 2 bad usage."
    })
final class MigrateCommand implements Callable<Integer> {
  @Option(
      names = "--from",
      required = true,
      paramLabel = "FILE",
      description = "The SQLite chat database to copy (only read).")
  Path from;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "URL",
      description =
          "The empty PostgreSQL database, postgresql://user@host:port/db; the password from the"
              + " URL, --to-password-file or PGPASSWORD.")
  String to;

  @Option(
      names = "--to-password-file",
      paramLabel = "FILE",
      description = "File whose first line is the PostgreSQL password, when the URL has none.")
  Path toPasswordFile;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      String password = toPasswordFile == null ? null : DatabasePasswordFile.read(toPasswordFile);
      ChatMigration.Summary summary =
          ChatMigration.copy(
              from,
              to,
              password,
              line -> {
                out.println(line);
                out.flush();
              });
      out.println(summary);
      out.flush();
      return 0;
    } catch (ChatException | IllegalArgumentException e) {
      err.println("chat: " + e.getMessage());
      err.flush();
      return 1;
    }
  }
}
