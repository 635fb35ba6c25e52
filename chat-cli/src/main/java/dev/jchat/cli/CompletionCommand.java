package dev.jchat.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code chat completion}: prints a bash and zsh completion script for every command. */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Prints a bash/zsh completion script for chat. Load it in this shell with",
      "  source <(chat completion)",
      "or install it: chat completion > /etc/bash_completion.d/chat"
    })
final class CompletionCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().getOut().print(AutoComplete.bash("chat", spec.parent().commandLine()));
    spec.commandLine().getOut().flush();
  }
}
