package dev.jchat.internal.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The newest messages of the rooms people read, in memory, in front of the database: most reads are
 * of a room's newest messages (a join's catch-up, the first pages a client shows), and these are
 * answered without a query. Everything else goes to the {@link MessageStore} behind.
 *
 * <p>Only for a store that nothing else writes to (one SQLite file, one {@link MessageLog}): the
 * log's writer hands every committed message to {@link #committed} before anyone hears of it, so
 * whatever a client was told of (an ack, a live message, a {@code lastSeq}) is here too. Messages
 * never change once stored, and seqs have no gaps, so each room's tail is a run of seqs: a read is
 * answered here exactly when every seq it needs is in the run.
 *
 * <p>A room gets a tail on its first read, loaded from the store with the newest messages, and a
 * read just below it extends it downwards, up to {@code roomBytes}. Past {@code totalBytes} in all,
 * the tails read longest ago are dropped whole; they load again on their next read. Sizes are
 * estimates of the heap a message takes (its strings, the record and its JSON).
 *
 * <p>A page answered here is an {@link EncodedPage}: each message is encoded to JSON once, on the
 * first read that needs it, and its bytes serve every later page, catch-up and REST list it is on.
 *
 * <p>Threads: {@link #committed} on the writer thread; reads on worker threads, where a miss loads
 * (a database read) outside any lock; {@link #pageInMemory} also on event loops. Each tail is
 * guarded by its own monitor, which is only ever held to copy references, never across a query.
 */
public final class NewestMessages implements MessageStore {
  /** Messages read at once to start or extend a tail: a few pages, so one read serves the next. */
  static final int LOAD = 500;

  private final MessageStore store;
  private final Function<StoredMessage, byte[]> encoder;
  private final long totalBytes;
  private final long roomBytes;
  private final Map<String, Tail> tails = new ConcurrentHashMap<>();
  private final AtomicLong bytes = new AtomicLong();

  /**
   * @param store where the messages are, and what answers every read this cannot
   * @param totalBytes the estimated heap all tails may take together
   * @param roomBytes the estimated heap one room's tail may take
   * @param encoder a message's JSON object as clients get it (MessageJson): called on worker
   *     threads, at most about once per message held
   */
  public NewestMessages(
      MessageStore store,
      long totalBytes,
      long roomBytes,
      Function<StoredMessage, byte[]> encoder) {
    if (totalBytes <= 0 || roomBytes <= 0 || roomBytes > totalBytes) {
      throw new IllegalArgumentException(
          "need 0 < roomBytes <= totalBytes: " + roomBytes + ", " + totalBytes);
    }
    this.store = store;
    this.encoder = encoder;
    this.totalBytes = totalBytes;
    this.roomBytes = roomBytes;
  }

  /**
   * Messages the log's writer just committed, in seq order, before it answers anyone. A room
   * without a tail is skipped: its first read loads what it needs.
   */
  public void committed(List<MessageLog.Appended> batch) {
    for (MessageLog.Appended a : batch) {
      if (a.duplicate()) {
        continue; // stored before, not again
      }
      Tail tail = tails.get(a.message().roomId());
      if (tail != null) {
        bytes.addAndGet(tail.appended(a.message(), roomBytes));
        if (tail.isDropped()) {
          tails.remove(a.message().roomId(), tail); // it met a gap; the next read loads afresh
        }
      }
    }
    trimIfOver();
  }

  @Override
  public List<StoredMessage> page(String roomId, Long before, Long after, int limit) {
    List<StoredMessage> hit = fromTails(roomId, before, after, limit, true);
    return hit != null ? hit : store.page(roomId, before, after, limit);
  }

  /** From a tail that holds the page, as it is: no load, no extension, no query. */
  @Override
  public List<StoredMessage> pageInMemory(String roomId, Long before, Long after, int limit) {
    return fromTails(roomId, before, after, limit, false);
  }

  @Override
  public List<StoredMessage> newestAfter(String roomId, long since, int cap) {
    List<StoredMessage> hit = read(roomId, since, Long.MAX_VALUE, cap, true, true);
    return hit != null ? hit : store.newestAfter(roomId, since, cap);
  }

  @Override
  public long lastSeq(String roomId) {
    return store.lastSeq(roomId);
  }

  @Override
  public Map<String, Long> lastSeqs() {
    return store.lastSeqs();
  }

  /** Estimated heap the tails take now. */
  public long heldBytes() {
    return bytes.get();
  }

  /** The seqs held for a room, {@code [first, last]}, or null when it has no tail; for tests. */
  long[] held(String roomId) {
    Tail tail = tails.get(roomId);
    return tail == null ? null : tail.held();
  }

  /**
   * The page as {@link #page} gives it, when the tails answer; {@code load} as for {@link #read}.
   */
  private List<StoredMessage> fromTails(
      String roomId, Long before, Long after, int limit, boolean load) {
    long upper = before == null ? Long.MAX_VALUE : before;
    return after != null
        ? read(roomId, after, upper, limit, false, load)
        : read(roomId, 0, upper, limit, true, load);
  }

  /**
   * The messages with {@code above < seq < upper}: the newest {@code limit} of them when {@code
   * newest}, else the oldest; ascending either way. Null when the tails cannot answer. With {@code
   * load}, a room without a tail gets one and a read just below a tail extends it (both query);
   * without, only what is held answers.
   */
  private List<StoredMessage> read(
      String roomId, long above, long upper, int limit, boolean newest, boolean load) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    Tail tail = tails.get(roomId);
    if (tail == null) {
      tail = load ? start(roomId, above, upper, limit, newest) : null;
      if (tail == null) {
        return null;
      }
    }
    HeldMessage[] hit = tail.read(above, upper, limit, newest, roomBytes);
    if (load && hit == Tail.JUST_BELOW && extend(tail, roomId, above, upper, limit, newest)) {
      hit = tail.read(above, upper, limit, newest, roomBytes);
    }
    return hit == null || hit == Tail.JUST_BELOW ? null : new EncodedPage(hit, encoder);
  }

  /**
   * Gives the room a tail holding its newest messages, or returns null when another reader is
   * loading one (this read then goes to the store) or the load failed. A read of the room's newest
   * messages loads just what it needs; any other read loads {@link #LOAD} and extends from there.
   */
  private Tail start(String roomId, long above, long upper, int limit, boolean newest) {
    Tail tail = new Tail();
    if (tails.putIfAbsent(roomId, tail) != null) {
      return null;
    }
    boolean top = newest && upper == Long.MAX_VALUE;
    List<StoredMessage> rows;
    try {
      // read after the tail is in the map: a message committed before this read is in it, one
      // committed after it is handed to the tail, which keeps it until the rows are in
      rows =
          top && above > 0
              ? store.newestAfter(roomId, above, limit)
              : store.page(roomId, null, null, top ? limit : LOAD);
      if (rows.isEmpty() && above > 0) {
        // nothing after the join's since, which says nothing of where the room ends
        rows = store.page(roomId, null, null, 1);
      }
    } catch (RuntimeException e) {
      tails.remove(roomId, tail);
      tail.drop();
      throw e;
    }
    long added = tail.loaded(rows, roomBytes);
    if (added < 0) {
      tails.remove(roomId, tail); // a gap between the rows and what came meanwhile: never seen
      return null;
    }
    tail.lastRead = System.nanoTime(); // being read now: the last to make way
    bytes.addAndGet(added);
    trimIfOver();
    return tail;
  }

  /**
   * Reads the messages just below the tail that this read needs, when they are within the room's
   * bound, and puts them under it. Older messages never change, so this cannot race the writer.
   */
  private boolean extend(
      Tail tail, String roomId, long above, long upper, int limit, boolean newest) {
    long[] held = tail.held();
    if (held == null) {
      return false;
    }
    long first = held[0];
    long top = Math.min(upper - 1, held[1]);
    long lowest = newest ? Math.max(above + 1, top - limit + 1) : above + 1;
    long want = Math.max(first - lowest, LOAD);
    List<StoredMessage> below = store.page(roomId, first, null, (int) Math.min(want, 10 * LOAD));
    long added = tail.prepended(below, first, roomBytes);
    if (added <= 0) {
      return false;
    }
    bytes.addAndGet(added);
    trimIfOver();
    return true;
  }

  /** Past the budget, drops the tails read longest ago until a tenth of it is free. */
  private void trimIfOver() {
    if (bytes.get() <= totalBytes) {
      return;
    }
    synchronized (this) {
      if (bytes.get() <= totalBytes) {
        return;
      }
      List<Map.Entry<String, Tail>> byAge = new ArrayList<>(tails.entrySet());
      byAge.sort(Comparator.comparingLong(e -> e.getValue().lastRead()));
      long goal = totalBytes - totalBytes / 10;
      for (Map.Entry<String, Tail> e : byAge) {
        if (bytes.get() <= goal) {
          break;
        }
        if (tails.remove(e.getKey(), e.getValue())) {
          bytes.addAndGet(-e.getValue().drop());
        }
      }
    }
  }

  /**
   * The heap one message takes, about: the record, two strings, the holder, an array slot, and its
   * JSON (about 70 bytes of names and numbers besides the room, sender and text, counted at two
   * bytes a character, which covers most text outside ASCII).
   */
  static long sizeOf(StoredMessage m) {
    int chars = m.text().length() + m.from().length();
    return 112 + 2L * chars + 24 + 16 + 70 + 2L * (chars + m.roomId().length());
  }

  /**
   * One room's newest messages: seqs {@code first} to {@code last} in a ring, without gaps. While
   * it loads, what the writer hands it waits in {@code pending}. Guarded by its monitor.
   */
  private static final class Tail {
    /**
     * What {@link #read} answers for a read that needs messages just below the tail, which
     * extending it would hold: an array of its own, told apart by identity.
     */
    static final HeldMessage[] JUST_BELOW = new HeldMessage[0];

    private HeldMessage[] ring = new HeldMessage[16];
    private int head; // index of the message with seq first
    private int size;
    private long first = 1;
    private long bytes;
    private boolean loading = true;
    private boolean dropped;
    private List<StoredMessage> pending = new ArrayList<>();
    private volatile long lastRead;

    long lastRead() {
      return lastRead;
    }

    synchronized boolean isDropped() {
      return dropped;
    }

    synchronized long[] held() {
      return loading || dropped ? null : new long[] {first, first + size - 1};
    }

    /** Appends a committed message; returns the bytes this added (or freed: negative). */
    synchronized long appended(StoredMessage m, long roomBytes) {
      if (dropped) {
        return 0;
      }
      if (loading) {
        pending.add(m);
        return 0;
      }
      return add(m, roomBytes);
    }

    /** The load's rows, ascending, then what came meanwhile; -1 when the two do not join. */
    synchronized long loaded(List<StoredMessage> rows, long roomBytes) {
      if (dropped) {
        return -1;
      }
      loading = false;
      long before = bytes;
      first = rows.isEmpty() ? 1 : rows.get(0).seq();
      for (StoredMessage m : rows) {
        add(m, roomBytes);
      }
      for (StoredMessage m : pending) {
        if (m.seq() >= first + size) {
          if (m.seq() != first + size) {
            dropped = true;
            pending = null;
            return -1;
          }
          add(m, roomBytes);
        }
      }
      pending = null;
      return bytes - before;
    }

    /** Puts {@code rows} (ascending, ending just below {@code first}) under the tail. */
    synchronized long prepended(List<StoredMessage> rows, long expectedFirst, long roomBytes) {
      if (dropped || loading || first != expectedFirst || rows.isEmpty()) {
        return 0;
      }
      if (rows.get(rows.size() - 1).seq() != first - 1) {
        return 0;
      }
      long added = 0;
      for (int i = rows.size() - 1; i >= 0; i--) {
        StoredMessage m = rows.get(i);
        long cost = sizeOf(m);
        if (bytes + cost > roomBytes) {
          break;
        }
        grow();
        head = (head - 1 + ring.length) % ring.length;
        ring[head] = new HeldMessage(m);
        size++;
        first--;
        bytes += cost;
        added += cost;
      }
      return added;
    }

    /** Drops the tail; returns the bytes it held. */
    synchronized long drop() {
      dropped = true;
      pending = null;
      ring = null;
      long held = bytes;
      bytes = 0;
      size = 0;
      return held;
    }

    /**
     * The messages of the read; {@link #JUST_BELOW} when it needs messages just below the tail and
     * the room's bound leaves room for them (within a twentieth of it, extending would read rows
     * only to drop them); null when it needs others, or the tail is loading or gone.
     */
    synchronized HeldMessage[] read(
        long above, long upper, int limit, boolean newest, long roomBytes) {
      if (loading || dropped) {
        return null;
      }
      long last = first + size - 1;
      long lo;
      long hi;
      if (newest) {
        hi = Math.min(upper - 1, last);
        lo = Math.max(above + 1, hi - limit + 1);
      } else {
        lo = above + 1;
        hi = Math.min(Math.min(upper - 1, last), above + limit);
      }
      if (lo > hi) {
        lastRead = System.nanoTime();
        return new HeldMessage[0]; // nothing in the range up to the room's newest message
      }
      if (lo < first) {
        boolean near = first > 1 && hi >= first - 1 && bytes < roomBytes - roomBytes / 20;
        return near ? JUST_BELOW : null;
      }
      lastRead = System.nanoTime();
      HeldMessage[] page = new HeldMessage[(int) (hi - lo + 1)];
      for (int i = 0; i < page.length; i++) {
        page[i] = ring[(int) ((head + lo + i - first) % ring.length)];
      }
      return page;
    }

    private long add(StoredMessage m, long roomBytes) {
      if (m.seq() != first + size) {
        return -drop(); // cannot happen with gapless seqs; never answer around a hole
      }
      long cost = sizeOf(m);
      long freed = 0;
      while (size > 0 && bytes + cost > roomBytes) {
        HeldMessage oldest = ring[head];
        ring[head] = null;
        head = (head + 1) % ring.length;
        size--;
        first++;
        long c = sizeOf(oldest.message);
        bytes -= c;
        freed += c;
      }
      grow();
      ring[(head + size) % ring.length] = new HeldMessage(m);
      size++;
      bytes += cost;
      return cost - freed;
    }

    private void grow() {
      if (size < ring.length) {
        return;
      }
      HeldMessage[] bigger = new HeldMessage[ring.length * 2];
      for (int i = 0; i < size; i++) {
        bigger[i] = ring[(head + i) % ring.length];
      }
      ring = bigger;
      head = 0;
    }
  }
}
