package dev.jchat.internal.store;

import java.sql.Connection;

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
}
