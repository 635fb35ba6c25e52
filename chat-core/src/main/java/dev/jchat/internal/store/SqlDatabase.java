package dev.jchat.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A JDBC database the SQL stores run on: SQLite ({@link Database}) or PostgreSQL ({@link
 * PostgresStore}). The stores' SQL is the dialect both engines share; what differs (connections,
 * transactions, failure classification) lives behind this. Thread-safe.
 */
interface SqlDatabase {
  /**
   * Runs {@code work} on a pooled connection in auto-commit mode.
   *
   * @param operation names the work in the {@link StoreException} that wraps a failure
   */
  <T> T withConnection(String operation, SqlFunction<Connection, T> work);

  /**
   * Like {@link #withConnection}, inside one transaction that commits when {@code work} returns.
   */
  <T> T inTransaction(String operation, SqlFunction<Connection, T> work);

  /**
   * Runs {@code work} with {@code sql} prepared on a pooled connection in auto-commit mode. The
   * statement is lent for the call: {@code work} closes the result sets it opens and leaves the
   * statement itself open. This default prepares and closes it each time.
   */
  default <T> T withStatement(
      String operation, String sql, SqlFunction<PreparedStatement, T> work) {
    return withConnection(
        operation,
        c -> {
          try (PreparedStatement statement = c.prepareStatement(sql)) {
            return work.apply(statement);
          }
        });
  }

  /** A text column of the current row, or null. */
  default String text(ResultSet row, int column) throws SQLException {
    return row.getString(column);
  }
}
