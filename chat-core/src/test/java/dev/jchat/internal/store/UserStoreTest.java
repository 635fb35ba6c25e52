package dev.jchat.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserStoreTest {
  @TempDir Path dir;
  Database db;
  UserStore users;

  @BeforeEach
  void open() {
    db = Database.open(dir.resolve("chat.db"), false);
    users = db.users();
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void createdUsersCanBeFoundWithEveryField() {
    User alice = new User("alice", "Alice A.", "alice@example.com", "pbkdf2-sha256$1$a$b", 1234);
    assertTrue(users.create(alice));
    assertEquals(Optional.of(alice), users.find("alice"));
    assertTrue(users.exists("alice"));
  }

  @Test
  void nameAndEmailAreOptional() {
    User bob = new User("bob", null, null, "h", 1);
    assertTrue(users.create(bob));
    assertEquals(Optional.of(bob), users.find("bob"));
  }

  @Test
  void aTakenUserIdIsAConflictAndKeepsTheFirstAccount() {
    User first = new User("alice", "first", null, "h1", 1);
    assertTrue(users.create(first));
    assertFalse(users.create(new User("alice", "second", null, "h2", 2)));
    assertEquals(Optional.of(first), users.find("alice"));
  }

  @Test
  void unknownUsersAreAbsent() {
    assertEquals(Optional.empty(), users.find("nobody"));
    assertFalse(users.exists("nobody"));
  }
}
