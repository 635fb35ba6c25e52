package dev.jchat.web;

import dev.jchat.ChatServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** Real servers for the web tests: loopback, a real SQLite file, cheap password hashes. */
final class WebServers {
  private WebServers() {}

  static ChatServer.Builder builder(Path database, int port) {
    return ChatServer.builder()
        .host("127.0.0.1")
        .port(port)
        .database(database)
        .ioThreads(2)
        .workers(4)
        .passwordIterations(1_000)
        .rateLimit(0);
  }

  static ChatServer start(Path database, int port, UnaryOperator<ChatServer.Builder> settings) {
    try {
      return settings.apply(builder(database, port)).build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ChatServer start(Path database) {
    return start(database, 0, b -> b);
  }
}
