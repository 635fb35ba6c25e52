package dev.jchat.cli;

import dev.jchat.cli.bench.BenchCommand;
import dev.jchat.cli.client.ClientCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code chat} command: the entry point of the launcher jar. */
@Command(
    name = "chat",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "An embeddable chat server, its terminal client and a load generator.",
    subcommands = {
      ServerCommand.class,
      ClientCommand.class,
      BenchCommand.class,
      AdminCommand.class,
      BackupCommand.class,
      MigrateCommand.class,
      CompletionCommand.class,
      CommandLine.HelpCommand.class
    })
public final class ChatCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new ChatCommand()).execute(args));
  }
}
