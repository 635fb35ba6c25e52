package dev.jchat.it;

import dev.jchat.ChatServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a real {@link ChatServer} on a free loopback port with a fresh SQLite file in a temporary
 * directory. Registered on a static field it serves the whole class; on an instance field, one
 * server per test. Sockets opened through it are closed after each test.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ChatServerExtension server = ChatServerExtension.create();
 * }</pre>
 */
final class ChatServerExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  private final UnaryOperator<ChatServer.Builder> settings;
  private final List<ChatSocket> sockets = new ArrayList<>();
  private HttpClient http;
  private Path directory;
  private ChatServer server;
  private Rest rest;
  private boolean perClass;

  private ChatServerExtension(UnaryOperator<ChatServer.Builder> settings) {
    this.settings = settings;
  }

  static ChatServerExtension create() {
    return new ChatServerExtension(UnaryOperator.identity());
  }

  /** A server with the test defaults changed by {@code settings}. */
  static ChatServerExtension create(UnaryOperator<ChatServer.Builder> settings) {
    return new ChatServerExtension(settings);
  }

  /**
   * The test defaults: loopback, port 0, the given database file, fast password hashing and no rate
   * limit (floods in the tests are deliberate).
   */
  static ChatServer.Builder testBuilder(Path database) {
    return ChatServer.builder()
        .host("127.0.0.1")
        .port(0)
        .database(database)
        .passwordIterations(1000)
        .rateLimit(0);
  }

  /** An HTTP/1.1 client, as the chat socket and our REST calls speak HTTP/1.1. */
  static HttpClient newHttpClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(20))
        .build();
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    perClass = true;
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    if (!perClass) start();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    synchronized (sockets) {
      sockets.forEach(ChatSocket::close);
      sockets.clear();
    }
    if (!perClass) stop();
  }

  ChatServer server() {
    return server;
  }

  int port() {
    return server.port();
  }

  Path database() {
    return directory.resolve("chat.db");
  }

  HttpClient http() {
    return http;
  }

  Rest rest() {
    return rest;
  }

  Rest.User newUser(String prefix) {
    return rest.newUser(prefix);
  }

  /** A socket that has not said hello yet; closed after the test. */
  ChatSocket open() {
    return track(ChatSocket.open(http, port()));
  }

  /** A socket past the handshake as {@code user}; closed after the test. */
  ChatSocket signIn(Rest.User user) {
    return signIn(user.token());
  }

  ChatSocket signIn(String token) {
    ChatSocket socket = open();
    socket.hello(token);
    return socket;
  }

  /** A socket signed in as {@code user} that has joined {@code room}. */
  ChatSocket joined(Rest.User user, String room) {
    ChatSocket socket = signIn(user);
    socket.join(room);
    return socket;
  }

  ChatSocket track(ChatSocket socket) {
    synchronized (sockets) {
      sockets.add(socket);
    }
    return socket;
  }

  private void start() throws IOException {
    directory = Files.createTempDirectory("jchat-it");
    http = newHttpClient();
    server = settings.apply(testBuilder(database())).build().start();
    rest = new Rest(http, server.port());
  }

  private void stop() {
    try {
      if (server != null) server.close();
    } finally {
      server = null;
      deleteRecursively(directory);
    }
  }

  static void deleteRecursively(Path directory) {
    if (directory == null || !Files.exists(directory)) return;
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
