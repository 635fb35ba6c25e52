package dev.jchat.internal.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * The PostgreSQL {@link ChatStore}: pgjdbc connections from a HikariCP pool, the schema of {@link
 * PostgresSchema}, and {@link PostgresBatches}, which takes seqs from {@code rooms.last_seq} inside
 * each batch's transaction, so several processes may write the same room.
 *
 * <p>Thread-safe. A connection that breaks (the server restarted, the network dropped) is evicted
 * by the pool and replaced on demand, so the store recovers by itself once PostgreSQL is back.
 */
public final class PostgresStore implements ChatStore, SqlDatabase {
  /** Connections: the message log's writer holds one per batch, readers and REST the rest. */
  public static final int DEFAULT_POOL_SIZE = 8;

  private static final long CONNECTION_WAIT_MILLIS = TimeUnit.SECONDS.toMillis(5);

  /**
   * How long a statement waits for a lock another session holds (a long transaction of an operator,
   * a migration by hand) before it fails with 55P03, which {@link StoreException#of} reports as
   * unavailable: SQLite's busy timeout, so that a held lock refuses writes on both stores instead
   * of blocking the message log's writer for as long as the lock is held.
   */
  static final long LOCK_TIMEOUT_MILLIS = TimeUnit.SECONDS.toMillis(5);

  /** Says where the data lives, without a password. */
  private final String description;

  private final HikariDataSource pool;
  private final StorageHealth health = new StorageHealth(this::probe, System::nanoTime);
  private final AtomicBoolean batchesTaken = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final UserStore users = new SqlUserStore(this);
  private final SessionStore sessions = new SqlSessionStore(this);
  private final RoomStore rooms = new SqlRoomStore(this);
  private final MessageStore messages = new SqlMessageStore(this, MessageQueries.ONE_TABLE);

  private PostgresStore(String description, HikariDataSource pool) {
    this.description = description;
    this.pool = pool;
  }

  /**
   * Connects, migrates the schema and fills the pool.
   *
   * @throws StoreException in one line naming the database (never the password) when it cannot be
   *     reached, refuses the login, or has a schema newer than this code
   */
  public static PostgresStore open(PostgresUrl url, int poolSize) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url.jdbcUrl());
    if (url.user() != null) {
      config.setUsername(url.user());
    }
    if (url.password() != null) {
      config.setPassword(url.password());
    }
    config.addDataSourceProperty("ApplicationName", "jchat");
    config.addDataSourceProperty("reWriteBatchedInserts", "true");
    config.addDataSourceProperty("connectTimeout", "5");
    return open(config, url.describe(), poolSize);
  }

  /**
   * Connects through the host program's {@code DataSource} (which must reach PostgreSQL), pools at
   * most {@code poolSize} of its connections, and migrates the schema.
   */
  public static PostgresStore open(DataSource hostDataSource, int poolSize) {
    HikariConfig config = new HikariConfig();
    config.setDataSource(hostDataSource);
    return open(
        config, "PostgreSQL through " + hostDataSource.getClass().getSimpleName(), poolSize);
  }

  private static PostgresStore open(HikariConfig config, String description, int poolSize) {
    config.setPoolName("jchat");
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(Math.min(2, poolSize));
    config.setConnectionTimeout(CONNECTION_WAIT_MILLIS);
    config.setInitializationFailTimeout(1); // unreachable at start: fail now, not at first use
    // on every connection, the host's DataSource's too (a URL option would not reach those)
    config.setConnectionInitSql("SET lock_timeout = " + LOCK_TIMEOUT_MILLIS);
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreException("cannot open database " + description + ": " + reason(e), e);
    }
    try (Connection c = pool.getConnection()) {
      PostgresSchema.migrate(c);
    } catch (SQLException | RuntimeException e) {
      pool.close();
      throw new StoreException("cannot open database " + description + ": " + reason(e), e);
    }
    return new PostgresStore(description, pool);
  }

  /** The root cause's message in one line: Hikari wraps the driver's reason. */
  private static String reason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return StoreException.oneLine(root.getMessage());
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public UserStore users() {
    return users;
  }

  @Override
  public SessionStore sessions() {
    return sessions;
  }

  @Override
  public RoomStore rooms() {
    return rooms;
  }

  @Override
  public MessageStore messages() {
    return messages;
  }

  @Override
  public MessageBatches openBatches() {
    if (!batchesTaken.compareAndSet(false, true)) {
      throw new IllegalStateException("the batch writer is already in use by a message log");
    }
    return new PostgresBatches(this);
  }

  @Override
  public AdminEvents adminEvents() {
    return new AdminEvents(this);
  }

  @Override
  public StorageHealth health() {
    return health;
  }

  /** A pooled connection in auto-commit mode; whoever takes it closes it (gives it back). */
  Connection connection() throws SQLException {
    if (closed.get()) {
      throw new SQLException("database is closed", "08003");
    }
    return pool.getConnection();
  }

  @Override
  public <T> T withConnection(String operation, SqlFunction<Connection, T> work) {
    try (Connection c = connection()) {
      return work.apply(c);
    } catch (SQLException e) {
      throw failed(operation, e);
    }
  }

  @Override
  public <T> T inTransaction(String operation, SqlFunction<Connection, T> work) {
    return withConnection(operation, c -> inTransaction(c, work));
  }

  /** Runs {@code work} in one transaction on {@code c}, leaving it in auto-commit mode. */
  static <T> T inTransaction(Connection c, SqlFunction<Connection, T> work) throws SQLException {
    c.setAutoCommit(false);
    try {
      T result = work.apply(c);
      c.commit();
      return result;
    } catch (SQLException | RuntimeException | Error e) {
      try {
        c.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback); // a broken connection: the pool evicts it
      }
      throw e;
    } finally {
      try {
        c.setAutoCommit(true);
      } catch (SQLException ignored) {
        // a broken connection: the pool evicts it
      }
    }
  }

  private StoreException failed(String operation, SQLException e) {
    StoreException failure = StoreException.of(operation, e);
    if (failure instanceof StoreUnavailableException unavailable) {
      health.failed(unavailable);
    }
    return failure;
  }

  /** The health probe: one small write that commits, leaving no row behind. */
  private void probe() {
    inTransaction(
        "probe storage",
        c -> {
          try (PreparedStatement insert =
                  c.prepareStatement("INSERT INTO health_probe (pad) VALUES (?)");
              PreparedStatement delete = c.prepareStatement("DELETE FROM health_probe")) {
            insert.setBytes(1, new byte[64]);
            insert.executeUpdate();
            return delete.executeUpdate();
          }
        });
  }

  /** Closes the pool (borrowed connections when they come back). Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      pool.close();
    }
  }
}
