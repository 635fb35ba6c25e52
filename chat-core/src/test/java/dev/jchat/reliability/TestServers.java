package dev.jchat.reliability;

import dev.jchat.ChatServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** Real servers on port 0 with a real SQLite file, tuned only to start fast (cheap hashes). */
final class TestServers {
  static final int TEST_HASH_ITERATIONS = 1_000;

  private TestServers() {}

  static ChatServer.Builder builder(Path database) {
    return ChatServer.builder()
        .host("127.0.0.1")
        .port(0)
        .database(database)
        .ioThreads(2)
        .workers(4)
        .passwordIterations(TEST_HASH_ITERATIONS);
  }

  static ChatServer start(Path database, UnaryOperator<ChatServer.Builder> settings) {
    try {
      return settings.apply(builder(database)).build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ChatServer start(Path database) {
    return start(database, b -> b);
  }
}
