import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The floor under cold history reads on SQLite: threads, each with its own connection, read random
 * pages of 50 of one room with the server's own statement (both tables, as
 * MessageQueries.WITH_RECENT) and decode the rows as the server does (text as UTF-8 bytes, then a
 * String), with no server, network or JSON. Run it on a copy of a history bench's database, the
 * server stopped:
 *
 * <pre>
 *   java -cp ~/.m2/repository/org/xerial/sqlite-jdbc/3.54.1.0/sqlite-jdbc-3.54.1.0.jar \
 *     benchmarks/scripts/SqlitePageReads.java FILE ROOM THREADS [PAGES_PER_THREAD]
 * </pre>
 *
 * Prints pages per second over all threads (the first pass of each thread included, so give it
 * enough pages to leave the JIT's warm-up behind: 100,000 by default).
 */
public class SqlitePageReads {
  private static final String PAGE =
      "SELECT seq, sender, text, ts FROM recent_messages WHERE room_id = ?1 AND seq > ?2 AND seq < ?3"
          + " UNION ALL SELECT seq, sender, text, ts FROM messages"
          + " WHERE room_id = ?1 AND seq > ?2 AND seq < ?3 ORDER BY seq DESC LIMIT ?4";

  public static void main(String[] args) throws Exception {
    String url = "jdbc:sqlite:" + args[0];
    String room = args[1];
    int threads = Integer.parseInt(args[2]);
    int perThread = args.length > 3 ? Integer.parseInt(args[3]) : 100_000;
    long last;
    try (Connection c = DriverManager.getConnection(url);
        ResultSet r = c.createStatement().executeQuery(
            "SELECT last_seq FROM rooms WHERE room_id = '" + room.replace("'", "''") + "'")) {
      last = r.next() ? r.getLong(1) : 0;
    }
    long fullPages = last / 50;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<Long>> done = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      int seed = t;
      done.add(pool.submit(() -> {
        try (Connection c = DriverManager.getConnection(url);
            PreparedStatement page = c.prepareStatement(PAGE)) {
          SplittableRandom random = new SplittableRandom(seed);
          long chars = 0;
          for (int i = 0; i < perThread; i++) {
            page.setString(1, room);
            page.setLong(2, 0);
            page.setLong(3, last + 1 - random.nextLong(fullPages) * 50);
            page.setInt(4, 50);
            try (ResultSet row = page.executeQuery()) {
              while (row.next()) {
                chars += row.getLong(1) + row.getLong(4)
                    + new String(row.getBytes(2), StandardCharsets.UTF_8).length()
                    + new String(row.getBytes(3), StandardCharsets.UTF_8).length();
              }
            }
          }
          return chars;
        }
      }));
    }
    for (Future<Long> f : done) {
      f.get();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    System.out.printf("%d thread(s): %.0f pages/s (%d pages of 50 from %d messages)%n",
        threads, threads * perThread / seconds, threads * perThread, last);
  }
}
