package dev.jchat.internal.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on SQLite, one file per test. */
class SqliteStoreContractTest extends ChatStoreContract {
  @TempDir Path dir;

  @Override
  ChatStore openStore() {
    return Database.open(dir.resolve("chat.db"), false);
  }

  @Override
  ChatStore reopenStore() {
    return openStore();
  }
}
