package dev.jchat.internal.store;

import dev.jchat.testing.PostgresCluster;
import java.util.Map;

/** The store contract on a real PostgreSQL server, one fresh database per test. */
class PostgresStoreContractTest extends ChatStoreContract {
  private String url;

  @Override
  ChatStore openStore() {
    url = PostgresCluster.shared().newDatabaseWithPassword();
    return reopenStore();
  }

  @Override
  ChatStore reopenStore() {
    return PostgresStore.open(PostgresUrl.parse(url, null, Map.of()), 4);
  }
}
