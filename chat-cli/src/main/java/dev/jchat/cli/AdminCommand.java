package dev.jchat.cli;

import dev.jchat.ChatAdmin;
import dev.jchat.ChatException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code chat admin}: an operator's commands on the server's machine, against the database file,
 * also while the server runs (it closes the sockets of a disabled or revoked user within a second).
 */
@Command(
    name = "admin",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Manages users in a chat database, also while the server runs on it.",
      "Exit codes: 0 done, 1 refused (not a chat database, no such user), 2 bad usage."
    },
    subcommands = {
      AdminCommand.Users.class,
      AdminCommand.Disable.class,
      AdminCommand.Enable.class,
      AdminCommand.Revoke.class
    })
final class AdminCommand implements Runnable {
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

  @Option(
      names = "--db",
      defaultValue = "chat.db",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description = "The chat database (default: ./${DEFAULT-VALUE}).")
  Path db;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Runs {@code work} on the opened database; prints a refusal as one line and returns 1. */
  int withAdmin(CommandSpec command, AdminWork work) {
    PrintWriter err = command.commandLine().getErr();
    try (ChatAdmin admin = ChatAdmin.open(db)) {
      return work.run(admin, command.commandLine().getOut());
    } catch (ChatException e) {
      err.println("chat: " + e.getMessage());
      return 1;
    }
  }

  interface AdminWork {
    int run(ChatAdmin admin, PrintWriter out);
  }

  @Command(
      name = "users",
      description = "Lists every user: id, name, created (UTC), state, sessions.")
  static final class Users implements Callable<Integer> {
    @ParentCommand AdminCommand parent;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      return parent.withAdmin(
          spec,
          (admin, out) -> {
            out.printf(
                "%-32s %-24s %-16s %-8s %s%n", "USER", "NAME", "CREATED", "STATE", "SESSIONS");
            for (ChatAdmin.User u : admin.users()) {
              out.printf(
                  "%-32s %-24s %-16s %-8s %d%n",
                  u.userId(),
                  u.name(),
                  DAY.format(Instant.ofEpochMilli(u.createdAt())),
                  u.disabled() ? "disabled" : "active",
                  u.sessions());
            }
            out.flush();
            return 0;
          });
    }
  }

  /** The shape of disable, enable and revoke: one user id, one change. */
  abstract static class Change implements Callable<Integer> {
    @ParentCommand AdminCommand parent;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "USER", description = "The user id.")
    String userId;

    abstract boolean apply(ChatAdmin admin, String userId);

    abstract String done();

    @Override
    public Integer call() {
      return parent.withAdmin(
          spec,
          (admin, out) -> {
            if (!apply(admin, userId)) {
              spec.commandLine().getErr().println("chat: no user '" + userId + "' in " + parent.db);
              return 1;
            }
            out.println(userId + " " + done());
            out.flush();
            return 0;
          });
    }
  }

  @Command(
      name = "disable",
      description =
          "Disables a user: their sessions end, their sockets close, their logins are refused.")
  static final class Disable extends Change {
    @Override
    boolean apply(ChatAdmin admin, String userId) {
      return admin.disable(userId);
    }

    @Override
    String done() {
      return "disabled; a running server closes their sockets within a second";
    }
  }

  @Command(name = "enable", description = "Lets a disabled user log in again.")
  static final class Enable extends Change {
    @Override
    boolean apply(ChatAdmin admin, String userId) {
      return admin.enable(userId);
    }

    @Override
    String done() {
      return "enabled";
    }
  }

  @Command(
      name = "revoke",
      description = "Ends every session of a user and closes their sockets; they log in again.")
  static final class Revoke extends Change {
    @Override
    boolean apply(ChatAdmin admin, String userId) {
      return admin.revokeSessions(userId);
    }

    @Override
    String done() {
      return "signed out everywhere";
    }
  }
}
