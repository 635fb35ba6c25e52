package dev.jchat.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A write that fails for a reason that passes leaves every connection usable once it passes. */
class WriteFailureRecoveryTest {
  @TempDir Path dir;
  Database db;
  MessageLog log;
  UserStore users;
  int sent;

  @BeforeEach
  void open() {
    db = Database.open(dir.resolve("chat.db"), false);
    db.rooms().createIfMissing("general", 0);
    users = db.users();
    log = new MessageLog(db, 1_000, 64, System::currentTimeMillis);
    log.start();
  }

  @AfterEach
  void close() {
    log.close();
    db.close();
  }

  @Test
  void aFullDatabaseRefusesWritesAsUnavailableAndWorksAgainOnceItHasRoom() throws Exception {
    db.limitPages(1); // never below the current size: full as soon as a page is needed
    RuntimeException refusal = null;
    List<Long> stored = new ArrayList<>();
    while (refusal == null) {
      CompletableFuture<Object> outcome = append("x".repeat(1_000));
      Object o = outcome.get(20, TimeUnit.SECONDS);
      if (o instanceof StoredMessage m) {
        stored.add(m.seq());
      } else {
        refusal = (RuntimeException) o;
      }
    }
    assertInstanceOf(StoreUnavailableException.class, refusal, refusal.toString());
    assertFalse(db.health().check().ok());
    // small rows may still fit in pages that have room: the cap refuses what needs a new page
    StoreException signUp = assertThrows(StoreException.class, () -> fillWithUsers("user"));
    assertInstanceOf(StoreUnavailableException.class, signUp, signUp.toString());

    db.limitPages(0);

    Object after = append("after").get(20, TimeUnit.SECONDS);
    StoredMessage m = assertInstanceOf(StoredMessage.class, after, String.valueOf(after));
    stored.add(m.seq());
    assertTrue(users.create(user("bob")));
    assertTrue(db.health().check().ok());
    assertEquals(LongStream.rangeClosed(1, stored.size()).boxed().toList(), stored);
    assertEquals(stored.size(), db.messages().page("general", null, null, 200).size());
  }

  @Test
  void aLockHeldPastTheBusyTimeoutRefusesWritesAndTheyWorkOnceItIsReleased() throws Exception {
    assertInstanceOf(StoredMessage.class, append("before").get(20, TimeUnit.SECONDS));
    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("chat.db"));
        Statement s = other.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      Object refused = append("while locked").get(60, TimeUnit.SECONDS);
      assertInstanceOf(StoreUnavailableException.class, refused, String.valueOf(refused));
      assertFalse(db.health().check().ok());
      s.execute("COMMIT");
    }
    Object after = append("after").get(20, TimeUnit.SECONDS);
    assertEquals(2, assertInstanceOf(StoredMessage.class, after, String.valueOf(after)).seq());
    assertTrue(users.create(user("carol")));
    assertTrue(db.health().check().ok());
  }

  private CompletableFuture<Object> append(String text) {
    CompletableFuture<Object> outcome = new CompletableFuture<>();
    log.append(
        "general",
        "alice",
        text,
        "r" + sent++,
        new MessageLog.Callback() {
          @Override
          public void stored(StoredMessage message, String ref, boolean duplicate) {
            outcome.complete(message);
          }

          @Override
          public void failed(RuntimeException e) {
            outcome.complete(e);
          }
        });
    return outcome;
  }

  /** Creates users {@code prefix-0, prefix-1, ...} until one fails. */
  private void fillWithUsers(String prefix) {
    for (int i = 0; i < 100_000; i++) {
      users.create(user(prefix + "-" + i));
    }
  }

  private static User user(String id) {
    return new User(id, id, null, "hash", 1);
  }
}
