package dev.jchat.cli;

import picocli.CommandLine.IVersionProvider;

/** Reads the version from the jar manifest, falling back to "dev" when run from classes. */
final class Version implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = ChatCommand.class.getPackage().getImplementationVersion();
    return new String[] {"chat " + (v == null ? "dev" : v)};
  }
}
