package dev.jchat.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jchat.testing.PostgresCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chat migrate} copies the messages of both SQLite tables: those already folded into
 * messages and those still in recent_messages (the end-to-end round trip is {@code
 * it.MigrationTest}).
 */
class SqliteToPostgresTest {
  @TempDir Path dir;

  @Test
  void copiesFoldedAndRecentMessagesWithTheirSeqsAndRefs() {
    Path file = dir.resolve("chat.db");
    try (Database sqlite = Database.open(file, false)) {
      sqlite.foldRecentAt(new SqliteBatches.FoldAt(10, Long.MAX_VALUE));
      sqlite.rooms().createIfMissing("general", 0);
      MessageLog log = new MessageLog(sqlite, 100, 16, () -> 5_000);
      log.start();
      for (int i = 1; i <= 25; i++) {
        Ack ack = new Ack();
        log.append("general", "alice", "m" + i, i == 3 || i == 24 ? "ref-" + i : null, ack);
        assertEquals(i, ack.message().seq());
      }
      log.close();
    }

    String url = PostgresCluster.shared().newDatabaseWithPassword();
    List<String> progress = new ArrayList<>();
    SqliteToPostgres.Counts counts =
        SqliteToPostgres.copy(file, PostgresUrl.parse(url, null, Map.of()), progress::add);
    assertEquals(25, counts.messages());

    try (PostgresStore postgres = PostgresStore.open(PostgresUrl.parse(url, null, Map.of()), 2)) {
      List<StoredMessage> page = postgres.messages().page("general", null, null, 50);
      assertEquals(LongStream.rangeClosed(1, 25).boxed().toList(), seqs(page));
      assertEquals(new StoredMessage("general", 7, "alice", "m7", 5_000), page.get(6));
      assertEquals(25, postgres.messages().lastSeq("general"));
      // both refs came along: a repeat is answered with the original, folded or recent
      MessageLog log = new MessageLog(postgres, 100, 16, () -> 6_000);
      log.start();
      for (int i : new int[] {3, 24}) {
        Ack repeat = new Ack();
        log.append("general", "alice", "again", "ref-" + i, repeat);
        assertEquals(new StoredMessage("general", i, "alice", "m" + i, 5_000), repeat.message());
      }
      log.close();
    }
  }

  private static List<Long> seqs(List<StoredMessage> messages) {
    return messages.stream().map(StoredMessage::seq).toList();
  }
}
