package dev.jchat.internal.store;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * A storage operation failed. The message is one line that names the operation and the reason, such
 * as {@code "create room: [SQLITE_BUSY] The database file is locked"}; the cause keeps the original
 * error. Thrown on the thread that called the store, or handed to a {@link MessageLog.Callback}.
 */
public class StoreException extends RuntimeException {

  StoreException(String message) {
    super(message);
  }

  StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Wraps an SQLite failure of {@code operation}: a {@link StoreUnavailableException} when it is
   * one that passes by itself (full disk, lock held elsewhere, I/O or permission trouble), else a
   * plain {@code StoreException}.
   */
  static StoreException of(String operation, SQLException e) {
    String message = operation + ": " + oneLine(e.getMessage());
    return isTransient(e)
        ? new StoreUnavailableException(message, e)
        : new StoreException(message, e);
  }

  /**
   * Whether {@code e} is a failure of the storage rather than of the statement: a transient or
   * recoverable JDBC exception (a pool that timed out), a PostgreSQL SQLSTATE of {@link
   * #isTransientState}, or the primary SQLite result codes BUSY, LOCKED, NOMEM, READONLY, IOERR,
   * FULL, CANTOPEN and PROTOCOL (extended codes such as {@code SQLITE_IOERR_WRITE} share their
   * primary code's low byte).
   */
  static boolean isTransient(SQLException e) {
    if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) {
      return true;
    }
    if (!(e instanceof SQLiteException)) {
      return isTransientState(e.getSQLState());
    }
    int primary = ((SQLiteException) e).getResultCode().code & 0xFF;
    return primary == SQLiteErrorCode.SQLITE_BUSY.code
        || primary == SQLiteErrorCode.SQLITE_LOCKED.code
        || primary == SQLiteErrorCode.SQLITE_NOMEM.code
        || primary == SQLiteErrorCode.SQLITE_READONLY.code
        || primary == SQLiteErrorCode.SQLITE_IOERR.code
        || primary == SQLiteErrorCode.SQLITE_FULL.code
        || primary == SQLiteErrorCode.SQLITE_CANTOPEN.code
        || primary == SQLiteErrorCode.SQLITE_PROTOCOL.code;
  }

  /**
   * Whether a PostgreSQL SQLSTATE is a failure that passes by itself: a lost or refused connection
   * (class 08), insufficient resources such as a full disk (53), the server shutting down or
   * starting (57P01-57P03), a serialization failure or deadlock (40001, 40P01), a lock not
   * available (55P03), a read-only standby (25006), or an I/O error (58030).
   */
  private static boolean isTransientState(String state) {
    if (state == null) {
      return false;
    }
    return state.startsWith("08")
        || state.startsWith("53")
        || state.startsWith("57P")
        || state.equals("40001")
        || state.equals("40P01")
        || state.equals("55P03")
        || state.equals("25006")
        || state.equals("58030");
  }

  /** SQLite messages can span lines; the CLI prints ours as one. */
  static String oneLine(String message) {
    return message == null ? "unknown error" : message.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
