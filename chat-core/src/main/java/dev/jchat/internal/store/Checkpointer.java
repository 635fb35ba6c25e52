package dev.jchat.internal.store;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Copies the WAL back into the database file on its own thread and connection, a few times a
 * second, so that the message log's commits do not pay for it. SQLite would otherwise run the
 * checkpoint inside whichever commit crossed the WAL threshold: a few milliseconds in which no
 * message is acked or delivered, often enough to set the fan-out p99 (docs/performance.md).
 *
 * <p>Checkpoints are PASSIVE: they never block the writer or readers. Should this thread fall
 * behind, the connections' own automatic checkpoint (at a higher threshold, see {@link Database})
 * still bounds the WAL.
 */
final class Checkpointer {
  private static final Logger LOG = System.getLogger(Checkpointer.class.getName());
  private static final long INTERVAL_MILLIS = 200;

  private final Connection connection;
  private final Thread thread;
  private final CountDownLatch stop = new CountDownLatch(1);

  Checkpointer(Connection connection) {
    this.connection = connection;
    this.thread = new Thread(this::run, "jchat-checkpoint");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Stops the thread and closes its connection; waits for a checkpoint in progress. */
  void close() {
    stop.countDown();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ConnectionPool.closeQuietly(connection);
  }

  private void run() {
    try (Statement statement = connection.createStatement()) {
      while (!stop.await(INTERVAL_MILLIS, TimeUnit.MILLISECONDS)) {
        checkpoint(statement);
      }
    } catch (SQLException e) {
      LOG.log(Level.WARNING, "background checkpoints stopped; SQLite's own take over", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void checkpoint(Statement statement) {
    try (ResultSet progress = statement.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
      // the row says how far it got; the next round continues from there
      progress.next();
    } catch (SQLException e) {
      LOG.log(Level.DEBUG, "checkpoint skipped: " + e.getMessage());
    }
  }
}
