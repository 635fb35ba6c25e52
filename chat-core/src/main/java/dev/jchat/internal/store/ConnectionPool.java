package dev.jchat.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A fixed set of connections for reads and REST writes, lent to one thread at a time. Thread-safe;
 * {@link #acquire} blocks (never on an event loop) for at most the configured wait, so a stuck
 * query shows up as an error instead of a hung worker pool.
 *
 * <p>A connection that its borrower had to close (it could not be rolled back, so it might still
 * hold the write lock) comes back closed and is replaced by a new one when it is next lent.
 */
final class ConnectionPool implements AutoCloseable {
  /** Opens a replacement connection. */
  interface Opener {
    Connection open() throws SQLException;
  }

  private final BlockingQueue<Connection> idle;
  private final long waitNanos;
  private final Opener opener;
  private boolean closed; // guarded by this

  ConnectionPool(List<Connection> connections, Duration wait, Opener opener) {
    this.idle = new ArrayBlockingQueue<>(connections.size(), false, connections);
    this.waitNanos = wait.toNanos();
    this.opener = opener;
  }

  /** Borrows a connection; give it back with {@link #release}. */
  Connection acquire(String operation) {
    if (isClosed()) {
      throw new StoreException(operation + ": database is closed");
    }
    Connection connection;
    try {
      connection = idle.poll(waitNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(operation + ": interrupted while waiting for a connection", e);
    }
    if (connection == null) {
      if (isClosed()) {
        throw new StoreException(operation + ": database is closed");
      }
      throw new StoreUnavailableException(
          operation
              + ": no free database connection in "
              + TimeUnit.NANOSECONDS.toMillis(waitNanos)
              + " ms");
    }
    return isOpen(connection) ? connection : reopen(operation, connection);
  }

  /** Replaces a connection closed after a failure; the closed one stays as a placeholder. */
  private Connection reopen(String operation, Connection closedOne) {
    try {
      return opener.open();
    } catch (SQLException e) {
      release(closedOne);
      throw StoreException.of(operation + ": reopen a database connection", e);
    }
  }

  synchronized void release(Connection connection) {
    if (closed) {
      closeQuietly(connection);
    } else {
      idle.add(connection);
    }
  }

  /** Closes idle connections now and borrowed ones when they come back. */
  @Override
  public synchronized void close() {
    closed = true;
    Connection connection;
    while ((connection = idle.poll()) != null) {
      closeQuietly(connection);
    }
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  static boolean isOpen(Connection connection) {
    try {
      return !connection.isClosed();
    } catch (SQLException e) {
      return false;
    }
  }

  static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // Closing is best effort: SQLite has nothing left to lose once the work is committed.
    }
  }
}
