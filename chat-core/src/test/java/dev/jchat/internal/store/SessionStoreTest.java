package dev.jchat.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionStoreTest {
  static final byte[] TOKEN_A = {1, 2, 3};
  static final byte[] TOKEN_B = {4, 5, 6};

  @TempDir Path dir;
  Database db;
  SessionStore sessions;

  @BeforeEach
  void open() {
    db = Database.open(dir.resolve("chat.db"), false);
    db.users().create(new User("alice", null, null, "h", 0));
    sessions = db.sessions();
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void aSessionNamesItsUserUntilItExpires() {
    sessions.create(TOKEN_A, "alice", 100, 200);
    assertEquals(Optional.of("alice"), sessions.userFor(TOKEN_A, 100));
    assertEquals(Optional.of("alice"), sessions.userFor(TOKEN_A, 199));
    assertEquals(Optional.empty(), sessions.userFor(TOKEN_A, 200));
    assertEquals(Optional.empty(), sessions.userFor(TOKEN_B, 100));
  }

  @Test
  void deletingEndsOnlyThatSession() {
    sessions.create(TOKEN_A, "alice", 100, 200);
    sessions.create(TOKEN_B, "alice", 100, 200);
    assertTrue(sessions.delete(TOKEN_A));
    assertFalse(sessions.delete(TOKEN_A));
    assertEquals(Optional.empty(), sessions.userFor(TOKEN_A, 150));
    assertEquals(Optional.of("alice"), sessions.userFor(TOKEN_B, 150));
  }

  @Test
  void purgeRemovesOnlyExpiredSessions() {
    sessions.create(TOKEN_A, "alice", 100, 200);
    sessions.create(TOKEN_B, "alice", 100, 300);
    assertEquals(1, sessions.purgeExpired(200));
    assertEquals(Optional.of("alice"), sessions.userFor(TOKEN_B, 250));
    assertEquals(0, sessions.purgeExpired(200));
  }

  @Test
  void aSessionNeedsARegisteredUser() {
    StoreException e =
        assertThrows(StoreException.class, () -> sessions.create(TOKEN_A, "nobody", 100, 200));
    assertTrue(e.getMessage().startsWith("create session: "), e.getMessage());
  }
}
