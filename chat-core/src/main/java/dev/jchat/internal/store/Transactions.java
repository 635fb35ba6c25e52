package dev.jchat.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Runs work in one {@code BEGIN IMMEDIATE} transaction on a connection that its caller holds
 * exclusively (so this is used by one thread at a time per connection).
 *
 * <p>Transactions are explicit SQL on a connection left in auto-commit mode because sqlite-jdbc's
 * {@code commit()} immediately begins the next transaction: with immediate transactions that would
 * hold the database's write lock between batches. {@code IMMEDIATE} takes the write lock up front,
 * so a transaction that reads and then writes cannot fail half-way on a stale WAL snapshot, and
 * {@code busy_timeout} applies to the wait.
 */
final class Transactions {
  static final String BEGIN = "BEGIN IMMEDIATE";
  static final String COMMIT = "COMMIT";
  static final String ROLLBACK = "ROLLBACK";

  private Transactions() {}

  static <T> T inTransaction(Connection connection, SqlFunction<Connection, T> work)
      throws SQLException {
    execute(connection, BEGIN);
    try {
      T result = work.apply(connection);
      execute(connection, COMMIT);
      return result;
    } catch (SQLException | RuntimeException | Error e) {
      if (!rollback(connection, e)) {
        ConnectionPool.closeQuietly(connection);
      }
      throw e;
    }
  }

  /**
   * Rolls back after {@code failure}. SQLite may already have rolled back by itself (for example
   * after SQLITE_FULL), in which case ROLLBACK fails; that is recorded on the original failure
   * rather than hiding it.
   *
   * @return true when the connection is certainly outside a transaction now; false when ROLLBACK
   *     failed for another reason, so the connection may still hold the write lock and must be
   *     closed (closing rolls back)
   */
  static boolean rollback(Connection connection, Throwable failure) {
    try {
      // a fresh statement: sqlite-jdbc may have closed a cached one that failed
      execute(connection, ROLLBACK);
      return true;
    } catch (SQLException e) {
      String message = String.valueOf(e.getMessage());
      if (message.contains("no transaction is active")) {
        return true;
      }
      failure.addSuppressed(e);
      return false;
    }
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.execute();
    }
  }
}
