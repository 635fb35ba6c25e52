package dev.jchat.internal.cluster;

import dev.jchat.internal.room.Room;
import dev.jchat.internal.socket.ServerFrames;
import dev.jchat.internal.store.MessageStore;
import dev.jchat.internal.store.StoreException;
import dev.jchat.internal.store.StoredMessage;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * Hands committed messages to their rooms in seq order, and reads from the store what did not come.
 * Every committed message reaches a room through here: the ones this node wrote (from the message
 * log's writer thread), the ones other nodes wrote (from the bus), and the ones the bus lost (read
 * back from the store). {@link Room#fanOut} keeps the order; this class fills the gaps it reports.
 *
 * <p>A message from the bus can overtake one that this node committed a moment earlier and is still
 * fanning out, so a gap is first given {@value #HOLD_MILLIS} ms to close by itself; then the
 * missing seqs are read from the store (they exist: a seq is only handed out in a committing
 * transaction, and every seq below a committed one is committed). A store that cannot be read is
 * tried again each {@value #RETRY_MILLIS} ms.
 *
 * <p>Threads: {@link #deliver} and {@link #catchUp} from any thread; the store reads run on this
 * feed's own timer thread, one room at a time.
 */
public final class RoomFeed implements AutoCloseable {
  private static final Logger LOG = System.getLogger(RoomFeed.class.getName());
  static final long HOLD_MILLIS = 100;
  static final long RETRY_MILLIS = 1000;
  static final int PAGE = 200;

  private final MessageStore messages;
  private final IntConsumer delivered;
  private final Set<String> scheduled = ConcurrentHashMap.newKeySet();
  private final AtomicLong filled = new AtomicLong();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "chat-room-feed");
            t.setDaemon(true);
            return t;
          });

  /**
   * @param delivered hears how many frames were queued on subscribers by the reads from the store
   */
  public RoomFeed(MessageStore messages, IntConsumer delivered) {
    this.messages = messages;
    this.delivered = delivered;
  }

  /** Offers one committed message to its room; returns the frames queued on subscribers. */
  public int deliver(Room room, StoredMessage m) {
    int frames = room.fanOut(m.seq(), ServerFrames.message(m));
    if (room.hasGap()) {
      schedule(room, HOLD_MILLIS);
    }
    return frames;
  }

  /**
   * Reads what the room has missed up to now from the store, soon: the store has seqs past what
   * arrived here although nothing came early (the bus lost the newest ones, or was silent).
   */
  public void catchUp(Room room) {
    schedule(room, 0);
  }

  private void schedule(Room room, long delayMillis) {
    if (!scheduled.add(room.id())) {
      return; // a read of this room is due anyway
    }
    try {
      timer.schedule(() -> fill(room), delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      scheduled.remove(room.id()); // closing
    }
  }

  private void fill(Room room) {
    scheduled.remove(room.id());
    long from = room.lastDeliveredSeq() + 1;
    List<StoredMessage> page;
    try {
      page = messages.page(room.id(), null, from - 1, PAGE);
    } catch (StoreException e) {
      LOG.log(Level.WARNING, "cannot read missed messages of " + room.id() + ": " + e.getMessage());
      schedule(room, RETRY_MILLIS);
      return;
    }
    int frames = 0;
    long before = room.lastDeliveredSeq();
    for (StoredMessage m : page) {
      frames += room.fanOut(m.seq(), ServerFrames.message(m));
    }
    filled.addAndGet(Math.max(0, room.lastDeliveredSeq() - before));
    delivered.accept(frames);
    if (page.size() == PAGE) {
      schedule(room, 0); // more to read
    } else if (room.hasGap()) {
      schedule(room, HOLD_MILLIS); // newer ones came early meanwhile
    }
  }

  /** Messages that reached their room from the store, because nothing else brought them. */
  public long filled() {
    return filled.get();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
