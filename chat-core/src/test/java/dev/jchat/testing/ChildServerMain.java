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
 * <p>Usage: {@code ChildServerMain <database file or postgresql:// URL> [fsync]}
 */
public final class ChildServerMain {
  public static final List<String> ROOMS = List.of("general", "second");

  private ChildServerMain() {}

  public static void main(String[] args) throws Exception {
    boolean fsync = args.length > 1 && args[1].equals("fsync");
    ChatServer server =
        ChatServerExtension.testBuilder(Path.of("unused.db"))
            .database(args[0]) // a file path, or a PostgreSQL URL
            .rooms(ROOMS)
            .rateLimit(0)
            .fsync(fsync)
            .build()
            .start();
    System.out.println("PORT " + server.port());
    System.out.flush();
    while (System.in.read() >= 0) {
      // the parent never writes; end of input means it is gone
    }
    server.close();
  }
}
