package dev.jchat.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * A cap on the database's size in pages ({@code PRAGMA max_page_count}), which SQLite keeps per
 * connection: each connection's user applies the current cap before its next use, on its own
 * thread. Past the cap, writes fail with {@code SQLITE_FULL} exactly as on a full disk, which is
 * how fault drills fill the database without root. Thread-safe.
 */
final class PageLimit {
  /** SQLite's own maximum, which lifts a cap. */
  private static final long NO_LIMIT = 4_294_967_294L;

  private final Map<Connection, Integer> applied = Collections.synchronizedMap(new WeakHashMap<>());
  private volatile long pages;
  private volatile int generation; // 0 until a cap was ever set: then nothing to apply

  /** Caps the database at {@code pages} (never below its current size); 0 lifts the cap. */
  synchronized void set(long pages) {
    if (pages < 0) {
      throw new IllegalArgumentException("pages must not be negative");
    }
    this.pages = pages;
    generation++;
  }

  /** Brings {@code connection} up to the current cap; call on the thread that uses it. */
  void applyTo(Connection connection) throws SQLException {
    int wanted = generation;
    if (wanted == 0) {
      return;
    }
    Integer done = applied.get(connection);
    if (done != null && done == wanted) {
      return;
    }
    long cap = pages == 0 ? NO_LIMIT : pages;
    try (Statement statement = connection.createStatement()) {
      // PRAGMA takes no bound parameters; the value is a number we checked.
      statement.execute("PRAGMA max_page_count = " + cap);
    }
    applied.put(connection, wanted);
  }
}
