package dev.jchat.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which store the suites' servers keep their data in: an SQLite file (the default), or a real
 * PostgreSQL database when the system property {@value #PROPERTY} is {@code postgres} (the surefire
 * execution {@code postgres} in chat-core's pom sets it for the integration and reliability
 * suites).
 *
 * <p>A suite names its store by a file path either way. On PostgreSQL each path stands for its own
 * fresh database of {@link PostgresCluster#shared()} (the chat schema and no rows), created on
 * first use and the same on every later use, so a server restarted "on the same file" reopens the
 * same database.
 */
public final class TestStore {
  /** The system property that picks the store: {@code sqlite} (default) or {@code postgres}. */
  public static final String PROPERTY = "jchat.test.store";

  private static final Map<Path, String> DATABASES = new ConcurrentHashMap<>();

  private TestStore() {}

  /** Whether this test JVM runs its servers on PostgreSQL. */
  public static boolean postgres() {
    String store = System.getProperty(PROPERTY, "sqlite");
    return switch (store) {
      case "sqlite" -> false;
      case "postgres" -> true;
      default ->
          throw new IllegalStateException(PROPERTY + " must be sqlite or postgres: " + store);
    };
  }

  /**
   * The database for {@code file}, as {@code ChatServer.Builder.database(String)} takes it: the
   * file's path, or on PostgreSQL the URL (with the test password) of the database that stands for
   * it.
   */
  public static String database(Path file) {
    if (!postgres()) {
      return file.toString();
    }
    return DATABASES.computeIfAbsent(
        file.toAbsolutePath().normalize(),
        f -> PostgresCluster.shared().newChatDatabaseWithPassword());
  }

  /** A JDBC connection to the database of {@code file}, for a test that reads the rows itself. */
  public static Connection connect(Path file) throws SQLException {
    if (!postgres()) {
      return DriverManager.getConnection("jdbc:sqlite:" + file);
    }
    return PostgresCluster.shared().connect(database(file));
  }
}
