package dev.jchat.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
  @TempDir Path dir;

  @Test
  void newFileIsMigratedToTheLatestVersionInWalMode() {
    try (Database db = Database.open(dir.resolve("chat.db"), false)) {
      assertEquals(Schema.latestVersion(), pragma(db, "user_version"));
      assertEquals("wal", pragmaText(db, "journal_mode"));
      assertEquals("1", pragmaText(db, "foreign_keys"));
      assertEquals("1", pragmaText(db, "synchronous")); // NORMAL
      assertEquals(5000, pragma(db, "busy_timeout"));
    }
  }

  @Test
  void aStatementStaysPreparedOnItsConnectionAndIsPreparedAgainOnceClosed() {
    try (Database db = Database.open(dir.resolve("chat.db"), false)) {
      String sql = "SELECT ?";
      PreparedStatement first = db.withStatement("test", sql, s -> s);
      PreparedStatement again = db.withStatement("test", sql, s -> s);
      // the pool lends its connections in turn: some call gets the first one back
      for (int i = 0; i < 8 && again != first; i++) {
        again = db.withStatement("test", sql, s -> s);
      }
      assertTrue(again == first, "kept prepared");
      db.withStatement(
          "test",
          sql,
          s -> {
            s.close(); // as sqlite-jdbc does with a statement that failed
            return null;
          });
      for (int i = 0; i < 8; i++) {
        long echoed =
            db.withStatement(
                "test",
                sql,
                s -> {
                  s.setLong(1, 42);
                  try (ResultSet row = s.executeQuery()) {
                    return row.next() ? row.getLong(1) : -1L;
                  }
                });
        assertEquals(42, echoed, "call " + i);
      }
    }
  }

  @Test
  void textColumnsReadAsUtf8() {
    try (Database db = Database.open(dir.resolve("chat.db"), false)) {
      String text = "caf\u00e9 \u2603 \ud83d\ude00 \u0000 end";
      String read =
          db.withStatement(
              "test",
              "SELECT ?",
              s -> {
                s.setString(1, text);
                try (ResultSet row = s.executeQuery()) {
                  row.next();
                  return db.text(row, 1);
                }
              });
      assertEquals(text, read);
      String none =
          db.withStatement(
              "test",
              "SELECT NULL",
              s -> {
                try (ResultSet row = s.executeQuery()) {
                  row.next();
                  return db.text(row, 1);
                }
              });
      assertNull(none);
    }
  }

  @Test
  void commitsLeaveCheckpointsToTheBackgroundThreadUntilTheWalIsLarge() {
    try (Database db = Database.open(dir.resolve("chat.db"), false)) {
      assertEquals(10_000, pragma(db, "wal_autocheckpoint"));
    }
  }

  @Test
  void fsyncMeansSynchronousFull() {
    try (Database db = Database.open(dir.resolve("chat.db"), true)) {
      assertEquals("2", pragmaText(db, "synchronous"));
    }
  }

  @Test
  void reopeningKeepsDataAndVersion() {
    Path file = dir.resolve("chat.db");
    try (Database db = Database.open(file, false)) {
      assertTrue(db.users().create(new User("alice", null, null, "h", 1)));
    }
    try (Database db = Database.open(file, false)) {
      assertEquals(Schema.latestVersion(), pragma(db, "user_version"));
      assertTrue(db.users().exists("alice"));
    }
  }

  @Test
  void aSchemaNewerThanThisCodeIsRefusedNamingTheFile() {
    Path file = dir.resolve("chat.db");
    try (Database db = Database.open(file, false)) {
      execute(db, "PRAGMA user_version = 99");
    }
    StoreException e = assertThrows(StoreException.class, () -> Database.open(file, false));
    assertEquals(
        "cannot open database "
            + file
            + ": schema version 99 is newer than this server supports ("
            + Schema.latestVersion()
            + ")",
        e.getMessage());
  }

  @Test
  void aDirectoryIsNotADatabase() {
    StoreException e = assertThrows(StoreException.class, () -> Database.open(dir, false));
    assertEquals("cannot open database " + dir + ": it is a directory", e.getMessage());
  }

  @Test
  void aMissingDirectoryIsReported() {
    Path file = dir.resolve("missing").resolve("chat.db");
    StoreException e = assertThrows(StoreException.class, () -> Database.open(file, false));
    assertEquals(
        "cannot open database " + file + ": directory " + file.getParent() + " does not exist",
        e.getMessage());
  }

  @Test
  void aParentThatIsAFileIsReported() throws IOException {
    Path parent = Files.writeString(dir.resolve("plain.txt"), "x");
    Path file = parent.resolve("chat.db");
    StoreException e = assertThrows(StoreException.class, () -> Database.open(file, false));
    assertEquals(
        "cannot open database " + file + ": " + parent + " is not a directory", e.getMessage());
  }

  @Test
  void aFileThatIsNotADatabaseFailsAtOpenInOneLine() throws IOException {
    Path file = Files.writeString(dir.resolve("notes.db"), "not a database\n".repeat(400));
    StoreException e = assertThrows(StoreException.class, () -> Database.open(file, false));
    assertTrue(e.getMessage().startsWith("cannot open database " + file + ": "), e.getMessage());
    assertTrue(e.getMessage().contains("not a database"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void aTemporaryDatabaseIsDeletedOnClose() {
    Database db = Database.openTemporary();
    Path file = db.file();
    db.users().create(new User("alice", null, null, "h", 1));
    assertTrue(Files.exists(file));
    db.close();
    db.close(); // idempotent
    assertFalse(Files.exists(file));
    assertFalse(Files.exists(file.resolveSibling(file.getFileName() + "-wal")));
  }

  @Test
  void sqlFailuresBecomeStoreExceptionsNamingTheOperation() {
    try (Database db = Database.open(dir.resolve("chat.db"), false)) {
      StoreException e =
          assertThrows(
              StoreException.class,
              () -> db.withConnection("do nonsense", c -> execute(c, "SELEC 1")));
      assertTrue(e.getMessage().startsWith("do nonsense: "), e.getMessage());
    }
  }

  @Test
  void aFailedTransactionLeavesNothingBehind() {
    try (Database db = Database.open(dir.resolve("chat.db"), false)) {
      UserStore users = db.users();
      assertThrows(
          StoreException.class,
          () ->
              db.inTransaction(
                  "two users",
                  c -> {
                    execute(c, "INSERT INTO users VALUES ('bob', NULL, NULL, 'h', 1)");
                    return execute(c, "INSERT INTO users VALUES ('bob', NULL, NULL, 'h', 1)");
                  }));
      assertFalse(users.exists("bob"));
      assertTrue(users.create(new User("bob", null, null, "h", 1))); // the connection is usable
    }
  }

  @Test
  void onlyOneMessageLogPerDatabase() {
    try (Database db = Database.open(dir.resolve("chat.db"), false)) {
      MessageLog log = new MessageLog(db, 10, 10, System::currentTimeMillis);
      assertThrows(
          IllegalStateException.class, () -> new MessageLog(db, 10, 10, System::currentTimeMillis));
      log.close();
    }
  }

  @Test
  void aClosedDatabaseSaysSo() {
    Database db = Database.open(dir.resolve("chat.db"), false);
    db.close();
    StoreException e = assertThrows(StoreException.class, () -> db.users().exists("alice"));
    assertEquals("check user: database is closed", e.getMessage());
  }

  /** Runs one statement of test setup on a pooled connection. */
  static void execute(Database db, String sql) {
    db.withConnection("test setup", c -> execute(c, sql));
  }

  private static boolean execute(Connection c, String sql) throws SQLException {
    try (PreparedStatement statement = c.prepareStatement(sql)) {
      return statement.execute();
    }
  }

  private static int pragma(Database db, String name) {
    return Integer.parseInt(pragmaText(db, name));
  }

  private static String pragmaText(Database db, String name) {
    return db.withConnection(
        "read pragma",
        c -> {
          try (PreparedStatement pragma = c.prepareStatement("PRAGMA " + name);
              ResultSet row = pragma.executeQuery()) {
            row.next();
            return row.getString(1);
          }
        });
  }
}
