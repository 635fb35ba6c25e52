package dev.jchat.cli;

/**
 * Turns SIGINT and SIGTERM into a callback instead of an abrupt JVM exit, so the server can
 * close cleanly and the process exits 0. Uses {@code sun.misc.Signal} (module jdk.unsupported,
 * present in every JDK); where it is missing, a shutdown hook still closes the server.
 */
final class StopSignals {
  private StopSignals() {}

  @SuppressWarnings("removal")
  static void install(Runnable onStop) {
    try {
      for (String name : new String[] {"INT", "TERM"}) {
        sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> onStop.run());
      }
    } catch (IllegalArgumentException | LinkageError e) {
      Runtime.getRuntime().addShutdownHook(new Thread(onStop));
    }
  }
}
