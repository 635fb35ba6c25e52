package dev.jchat.internal.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.sqlite.SQLiteConfig;

/**
 * The SQLite {@link ChatStore}: one database file, its PRAGMAs and migrations, one dedicated write
 * connection for the {@link MessageLog}'s {@link SqliteBatches}, and a small pool of connections
 * for everything else.
 *
 * <p>WAL journal, so readers run beside the writer; {@code synchronous=NORMAL} (a commit survives a
 * crash of the process, and with {@code fsync} also a power loss); {@code busy_timeout} of 5 s;
 * foreign keys on. Thread-safe: stores call {@link #withConnection} and {@link #inTransaction} from
 * worker threads, and each connection is used by one thread at a time.
 */
public final class Database implements ChatStore, SqlDatabase {
  private static final int POOL_SIZE = 4;
  private static final Duration POOL_WAIT = Duration.ofSeconds(5);
  private static final int BUSY_TIMEOUT_MILLIS = 5_000;

  /**
   * WAL pages after which a committing connection checkpoints by itself (SQLite's default is
   * 1,000). The {@link Checkpointer} normally keeps the WAL far below this; it is the bound for
   * when that thread falls behind.
   */
  private static final int AUTO_CHECKPOINT_PAGES = 10_000;

  /** The health probe's write: a row big enough to need a fresh page, gone before the commit. */
  private static final String PROBE_INSERT =
      "INSERT INTO health_probe (pad) VALUES (zeroblob(8192))";

  private static final String PROBE_DELETE = "DELETE FROM health_probe";
  private static final int PROBE_BUSY_TIMEOUT_MILLIS = 250;

  private final Path file;
  private final boolean temporary;
  private final ConnectionPool.Opener opener;
  private final Connection writeConnection;
  private final ConnectionPool pool;
  private final Checkpointer checkpointer;
  private final PageLimit pageLimit = new PageLimit();
  private volatile SqliteBatches.FoldAt foldAt = SqliteBatches.FoldAt.DEFAULT;

  /** Prepared statements per pooled connection, for {@link #withStatement}. */
  private final Map<Connection, Map<String, PreparedStatement>> statements =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final StorageHealth health = new StorageHealth(this::probe, System::nanoTime);
  private final AtomicBoolean writeConnectionTaken = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final UserStore users = new SqlUserStore(this);
  private final SessionStore sessions = new SqlSessionStore(this);
  private final RoomStore rooms = new SqlRoomStore(this);
  private final MessageStore messages = new SqlMessageStore(this, MessageQueries.WITH_RECENT);

  private Database(
      Path file,
      boolean temporary,
      ConnectionPool.Opener opener,
      Connection writeConnection,
      ConnectionPool pool,
      Checkpointer checkpointer) {
    this.file = file;
    this.temporary = temporary;
    this.opener = opener;
    this.writeConnection = writeConnection;
    this.pool = pool;
    this.checkpointer = checkpointer;
  }

  /**
   * Opens {@code file}, creating it when missing, and migrates its schema.
   *
   * @param fsync {@code synchronous=FULL}: commits also survive power loss, at a cost
   * @throws StoreException naming the file and the reason in one line, when it cannot be opened, is
   *     not a database, or has a schema newer than this code
   */
  public static Database open(Path file, boolean fsync) {
    return open(file.toAbsolutePath().normalize(), fsync, false);
  }

  /**
   * Opens a fresh database in a temporary file that {@link #close()} deletes: the "in-memory" mode
   * for tests and throwaway servers, with the same behaviour as a real file.
   */
  public static Database openTemporary() {
    Path file;
    try {
      file = Files.createTempFile("jchat-", ".db");
    } catch (IOException e) {
      throw new StoreException("cannot create a temporary database: " + e.getMessage(), e);
    }
    try {
      return open(file, false, true);
    } catch (RuntimeException e) {
      deleteFiles(file);
      throw e;
    }
  }

  private static Database open(Path file, boolean fsync, boolean temporary) {
    String problem = OpenCheck.problemWith(file);
    if (problem != null) {
      throw new StoreException("cannot open database " + file + ": " + problem);
    }
    List<Connection> opened = new ArrayList<>();
    try {
      SQLiteConfig config = config(fsync);
      String url = "jdbc:sqlite:" + file;
      ConnectionPool.Opener opener = () -> config.createConnection(url);
      Connection writer = opener.open();
      opened.add(writer);
      Schema.migrate(writer);
      for (int i = 0; i < POOL_SIZE; i++) {
        opened.add(opener.open());
      }
      ConnectionPool pool =
          new ConnectionPool(List.copyOf(opened.subList(1, opened.size())), POOL_WAIT, opener);
      Connection checkpoints = opener.open();
      opened.add(checkpoints);
      Checkpointer checkpointer = new Checkpointer(checkpoints);
      checkpointer.start();
      return new Database(file, temporary, opener, writer, pool, checkpointer);
    } catch (SQLException | RuntimeException e) {
      opened.forEach(ConnectionPool::closeQuietly);
      String reason =
          e instanceof SQLException ? StoreException.oneLine(e.getMessage()) : e.getMessage();
      throw new StoreException("cannot open database " + file + ": " + reason, e);
    }
  }

  private static SQLiteConfig config(boolean fsync) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(
        fsync ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
    // nothing reads generated keys, and the driver would query last_insert_rowid() after every
    // INSERT for them: about a third of the writer's time per message
    config.setGetGeneratedKeys(false);
    config.enforceForeignKeys(true);
    config.setPragma(
        SQLiteConfig.Pragma.WAL_AUTOCHECKPOINT, Integer.toString(AUTO_CHECKPOINT_PAGES));
    return config;
  }

  /** The database file (absolute). */
  public Path file() {
    return file;
  }

  @Override
  public String describe() {
    return file.toString();
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

  /**
   * Folds recent messages at {@code at} instead of {@link SqliteBatches.FoldAt#DEFAULT}, for tests
   * that cross folds with a few messages; call before {@link #openBatches}.
   */
  void foldRecentAt(SqliteBatches.FoldAt at) {
    foldAt = at;
  }

  /**
   * The batch writer on the connection reserved for the message log's writer thread. Handed out
   * once, because two writers would race on the per-room seq counters.
   */
  @Override
  public MessageBatches openBatches() {
    if (!writeConnectionTaken.compareAndSet(false, true)) {
      throw new IllegalStateException("the write connection is already in use by a message log");
    }
    return new SqliteBatches(this, writeConnection, foldAt);
  }

  /**
   * Runs {@code work} on a pooled connection in auto-commit mode, waiting up to 5 s for one to be
   * free.
   *
   * @param operation names the work in the {@link StoreException} that wraps a failure
   */
  @Override
  public <T> T withConnection(String operation, SqlFunction<Connection, T> work) {
    Connection connection;
    try {
      connection = pool.acquire(operation);
    } catch (StoreUnavailableException e) {
      health.failed(e);
      throw e;
    }
    try {
      pageLimit.applyTo(connection);
      return work.apply(connection);
    } catch (SQLException e) {
      throw failed(operation, e);
    } finally {
      pool.release(connection);
    }
  }

  /**
   * Like the default, but keeps each statement prepared on its connection for the next call:
   * sqlite-jdbc compiles the SQL on every {@code prepareStatement}, an eighth of a history read's
   * time (docs/performance.md). The cache holds the SQL constants of the stores, a handful per
   * connection, and goes with its connection when that is closed or replaced.
   */
  @Override
  public <T> T withStatement(String operation, String sql, SqlFunction<PreparedStatement, T> work) {
    return withConnection(
        operation,
        c -> {
          // only the borrower of c touches its map; the pool's hand-off orders the borrowers
          Map<String, PreparedStatement> prepared =
              statements.computeIfAbsent(c, unused -> new HashMap<>());
          PreparedStatement statement = prepared.get(sql);
          if (statement == null || statement.isClosed()) {
            statement = c.prepareStatement(sql);
            prepared.put(sql, statement);
          }
          try {
            return work.apply(statement);
          } finally {
            // sqlite-jdbc closes a statement that failed; the next call prepares it again
            if (!statement.isClosed()) {
              statement.clearParameters();
            }
          }
        });
  }

  /**
   * Reads the column's UTF-8 bytes: sqlite-jdbc's {@code getString} wraps every value in a direct
   * buffer made through JNI, which cost a quarter of a history read (docs/performance.md).
   */
  @Override
  public String text(ResultSet row, int column) throws SQLException {
    byte[] utf8 = row.getBytes(column);
    return utf8 == null ? null : new String(utf8, StandardCharsets.UTF_8);
  }

  /** Wraps {@code e}, and reports it to {@link #health()} when the storage is the trouble. */
  StoreException failed(String operation, SQLException e) {
    StoreException failure = StoreException.of(operation, e);
    if (failure instanceof StoreUnavailableException unavailable) {
      health.failed(unavailable);
    }
    return failure;
  }

  /** Like {@link #withConnection}, inside one {@code BEGIN IMMEDIATE} transaction. */
  @Override
  public <T> T inTransaction(String operation, SqlFunction<Connection, T> work) {
    return withConnection(operation, c -> Transactions.inTransaction(c, work));
  }

  @Override
  public AdminEvents adminEvents() {
    return new AdminEvents(this);
  }

  @Override
  public StorageHealth health() {
    return health;
  }

  /**
   * Caps the database file at {@code pages} pages (SQLite {@code max_page_count}, never below the
   * current size), so that writes needing more fail with {@code SQLITE_FULL} as on a full disk; 0
   * lifts the cap. For quotas and fault drills; each connection applies it before its next use.
   */
  public void limitPages(long pages) {
    pageLimit.set(pages);
  }

  PageLimit pageLimit() {
    return pageLimit;
  }

  /** A new connection with this database's settings, for one that had to be replaced. */
  Connection openConnection() throws SQLException {
    return opener.open();
  }

  /**
   * The health probe: one small write that needs a fresh page and commits (so a full disk, a cap, a
   * read-only file or a lock held elsewhere all fail it), leaving no row behind.
   */
  private void probe() {
    withConnection(
        "probe storage",
        c -> {
          setBusyTimeout(c, PROBE_BUSY_TIMEOUT_MILLIS);
          try {
            return Transactions.inTransaction(
                c,
                t -> {
                  try (PreparedStatement insert = t.prepareStatement(PROBE_INSERT);
                      PreparedStatement delete = t.prepareStatement(PROBE_DELETE)) {
                    insert.executeUpdate();
                    return delete.executeUpdate();
                  }
                });
          } finally {
            if (ConnectionPool.isOpen(c)) {
              setBusyTimeout(c, BUSY_TIMEOUT_MILLIS);
            }
          }
        });
  }

  private static void setBusyTimeout(Connection c, int millis) throws SQLException {
    try (Statement statement = c.createStatement()) {
      statement.execute("PRAGMA busy_timeout = " + millis);
    }
  }

  /**
   * Closes every connection (a borrowed one when it is given back) and, for a temporary database,
   * deletes its files. Close the {@link MessageLog} first. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    checkpointer.close();
    pool.close();
    ConnectionPool.closeQuietly(writeConnection);
    if (temporary) {
      deleteFiles(file);
    }
  }

  private static void deleteFiles(Path file) {
    try {
      for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
      }
    } catch (IOException e) {
      throw new StoreException("delete temporary database " + file + ": " + e, e);
    }
  }
}
