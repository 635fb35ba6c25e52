package dev.jchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jchat.ChatServer;
import dev.jchat.testing.ChatServerExtension;
import dev.jchat.testing.JdkSocket;
import dev.jchat.testing.Rest;
import dev.jchat.testing.TestJson;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database made by the previous release upgrades in place. {@code schema-1.sqlite} was written by
 * the release of 2026-11-29 (commit 3061805, schema version 1, PBKDF2 at 120,000 iterations): users
 * alice ({@code alice-password}) and bob, a private room {@code plans} of both with 5 messages
 * (refs p1..p5), and 30 messages in {@code general} (refs r1..r30), all sent by alice. Today's
 * server migrates it at start, and everything stored before works as it did.
 */
class UpgradeInPlaceTest {
  @TempDir Path dir;

  @Test
  void aDatabaseOfThePreviousReleaseUpgradesInPlaceAndKeepsEverything() throws Exception {
    Path db = dir.resolve("chat.db");
    try (InputStream fixture = getClass().getResourceAsStream("schema-1.sqlite")) {
      Files.copy(fixture, db);
    }
    assertEquals(1, userVersion(db));
    // the fixture is an SQLite file: this suite is SQLite's whatever store the others run on
    try (ChatServer server = ChatServerExtension.start(db, b -> b.database(db))) {
      assertTrue(userVersion(db) > 1, "migrated at start");
      Rest rest = new Rest(server.port());
      String alice = rest.token("alice", "alice-password"); // the old hash still verifies

      try (JdkSocket socket = JdkSocket.signIn(server.port(), alice)) {
        JsonNode joined = socket.join("general", 25L);
        assertEquals(30, joined.path("lastSeq").asLong());
        assertEquals(List.of(26L, 27L, 28L, 29L, 30L), TestJson.seqs(joined.path("history")));
        socket.sendText("general", "a repeat", "r7"); // ref dedupe survives the upgrade
        JsonNode ack = socket.recorder().awaitAck("r7");
        assertEquals(7, ack.path("seq").asLong());
        socket.sendText("general", "after the upgrade", "upgraded-1"); // r1..r30 are taken
        assertEquals(31, socket.recorder().awaitAck("upgraded-1").path("seq").asLong());
      }

      String bob = rest.token("bob", "bob-password");
      assertEquals(5, rest.history(bob, "plans").size());
      String carol = rest.signUp("carol", "carol-password");
      rest.get(Rest.roomPath("plans"), carol).assertError(404, "not_found"); // still private
    }
    assertTrue(
        storedHash(db, "alice").startsWith("pbkdf2-sha256$1000$"),
        "the old hash was replaced at the login with the server's settings");
  }

  private static int userVersion(Path db) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        ResultSet row = c.createStatement().executeQuery("PRAGMA user_version")) {
      return row.getInt(1);
    }
  }

  private static String storedHash(Path db, String userId) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        ResultSet row =
            c.createStatement()
                .executeQuery("SELECT password_hash FROM users WHERE user_id = '" + userId + "'")) {
      return row.getString(1);
    }
  }
}
