package dev.jchat.testing;

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
 * directory (or, in the suites' PostgreSQL execution, a fresh PostgreSQL database: {@link
 * TestStore}). Registered on a static field it serves the whole class; on an instance field, one
 * server per test. Sockets opened through it are closed after each test.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ChatServerExtension server = ChatServerExtension.create();
 * }</pre>
 *
 * <p>A test that needs other settings per test, or several servers on one file, starts them with
 * {@link #start(Path, UnaryOperator)} instead.
 */
public final class ChatServerExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  private final UnaryOperator<ChatServer.Builder> settings;
  private final List<JdkSocket> sockets = new ArrayList<>();
  private HttpClient http;
  private Path directory;
  private ChatServer server;
  private Rest rest;
  private boolean perClass;

  private ChatServerExtension(UnaryOperator<ChatServer.Builder> settings) {
    this.settings = settings;
  }

  /** A server with the test defaults and no rate limit (floods in the tests are deliberate). */
  public static ChatServerExtension create() {
    return create(UnaryOperator.identity());
  }

  /**
   * A server with the test defaults, no rate limit (floods in the tests are deliberate), changed by
   * {@code settings}.
   */
  public static ChatServerExtension create(UnaryOperator<ChatServer.Builder> settings) {
    return new ChatServerExtension(builder -> settings.apply(builder.rateLimit(0)));
  }

  /**
   * The test defaults: loopback, port 0, the given database file (on PostgreSQL, the database that
   * stands for it: {@link TestStore}), two I/O threads and four workers whatever the machine, and
   * fast password hashing. Everything else is the server's default.
   */
  public static ChatServer.Builder testBuilder(Path database) {
    return ChatServer.builder()
        .host("127.0.0.1")
        .port(0)
        .database(TestStore.database(database))
        .ioThreads(2)
        .workers(4)
        .passwordIterations(1000)
        // suites create many accounts and rooms and read a lot from one address and user;
        // the tests of these limits set them
        .signupsPerHour(0)
        .roomsPerHour(0)
        .readsPerSecond(0)
        .maxSessionsPerUser(100_000);
  }

  /**
   * Starts a server with the test defaults changed by {@code settings} (the rate limit stays the
   * server's default); the caller closes it.
   */
  public static ChatServer start(Path database, UnaryOperator<ChatServer.Builder> settings) {
    try {
      return settings.apply(testBuilder(database)).build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An HTTP/1.1 client, as the chat socket and our REST calls speak HTTP/1.1. */
  public static HttpClient newHttpClient() {
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
    if (!perClass) {
      start();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    synchronized (sockets) {
      sockets.forEach(JdkSocket::close);
      sockets.clear();
    }
    if (!perClass) {
      stop();
    }
  }

  public ChatServer server() {
    return server;
  }

  public int port() {
    return server.port();
  }

  public Path database() {
    return directory.resolve("chat.db");
  }

  public HttpClient http() {
    return http;
  }

  public Rest rest() {
    return rest;
  }

  public Rest.User newUser(String prefix) {
    return rest.newUser(prefix);
  }

  /** A socket that has not said hello yet; closed after the test. */
  public JdkSocket open() {
    return track(JdkSocket.open(http, port()));
  }

  /** A socket past the handshake as {@code user}; closed after the test. */
  public JdkSocket signIn(Rest.User user) {
    return signIn(user.token());
  }

  public JdkSocket signIn(String token) {
    JdkSocket socket = open();
    socket.hello(token);
    return socket;
  }

  /** A socket signed in as {@code user} that has joined {@code room}. */
  public JdkSocket joined(Rest.User user, String room) {
    JdkSocket socket = signIn(user);
    socket.join(room);
    return socket;
  }

  public JdkSocket track(JdkSocket socket) {
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
      if (server != null) {
        server.close();
      }
    } finally {
      server = null;
      deleteRecursively(directory);
    }
  }

  public static void deleteRecursively(Path directory) {
    if (directory == null || !Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
