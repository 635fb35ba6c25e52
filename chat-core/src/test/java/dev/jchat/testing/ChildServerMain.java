package dev.jchat.testing;

import dev.jchat.ChatServer;
import java.nio.file.Path;
import java.util.List;

/**
 * A server for a test to kill or starve (see {@link ChildServer}): started in a child JVM on the
 * given database (an SQLite file, or a PostgreSQL URL), it prints {@code PORT <n>} once it accepts
 * connections and then runs until it is killed (or until its standard input closes, so it never
 * outlives a test JVM that died).
 *
 * <p>Usage: {@code ChildServerMain <database file or postgresql:// URL> [fsync] [redis://bus]}
 */
public final class ChildServerMain {
  public static final List<String> ROOMS = List.of("general", "second");

  private ChildServerMain() {}

  public static void main(String[] args) throws Exception {
    List<String> options = List.of(args).subList(1, args.length);
    ChatServer.Builder builder =
        ChatServerExtension.testBuilder(Path.of("unused.db"))
            .database(args[0]) // a file path, or a PostgreSQL URL
            .rooms(ROOMS)
            .rateLimit(0)
            .fsync(options.contains("fsync"));
    for (String option : options) {
      if (option.startsWith("redis://")) {
        builder.bus(option);
      }
    }
    ChatServer server = builder.build().start();
    System.out.println("PORT " + server.port());
    System.out.flush();
    while (System.in.read() >= 0) {
      // the parent never writes; end of input means it is gone
    }
    server.close();
  }
}
