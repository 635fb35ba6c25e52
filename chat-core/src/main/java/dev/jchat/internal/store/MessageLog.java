package dev.jchat.internal.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongSupplier;

/**
 * The single writer of messages (group commit). Worker threads {@link #append} sends to a bounded
 * queue; one writer thread takes what is waiting (up to {@code maxBatch}), gives each message its
 * room's next seq, inserts the batch in one transaction, commits, and only then publishes {@link
 * #lastSeq}, calls each send's {@link Callback} and the {@link BatchListener}, in seq order. So
 * whoever hears of a message can read it again, also after a crash: one commit per batch, not per
 * message.
 *
 * <p>Seqs start at 1 per room and have no gaps: a failed or duplicate send gives its seq back. A
 * {@code ref} makes a send idempotent per sender, across restarts: the repeat is answered with the
 * original message and {@code duplicate = true}, and nothing new is stored.
 *
 * <p>Threads: {@link #append} and {@link #lastSeq} from any thread; callbacks and the listener run
 * on the writer thread, except that a send refused before it was queued (closed, overloaded,
 * interrupted) is failed on the calling thread. Exceptions thrown by callbacks and the listener are
 * logged and do not stop the writer.
 */
public final class MessageLog implements AutoCloseable {
  private static final Duration DEFAULT_OVERLOAD_WAIT = Duration.ofSeconds(5);

  /** Queued by {@link #close()} behind every accepted send; the writer stops at it. */
  private static final PendingSend STOP = new PendingSend("", "", "", null, null);

  /** Hears the outcome of one {@link #append}, once. Must return quickly. */
  public interface Callback {
    /**
     * The message is committed.
     *
     * @param ref the send's ref, nullable
     * @param duplicate the ref was used before: {@code message} is the original, stored once
     */
    void stored(StoredMessage message, String ref, boolean duplicate);

    /**
     * Nothing was stored: {@link UnknownRoomException}, {@link LogClosedException} once the log is
     * closing, a {@link StoreUnavailableException} when it is overloaded or the database cannot
     * write for now (full, locked, read-only), or another {@link StoreException}.
     */
    void failed(RuntimeException e);
  }

  /** One committed send of a batch, as its {@link Callback} heard it. */
  public record Appended(StoredMessage message, String ref, boolean duplicate) {}

  /** Hears every committed batch; for fan-out with one wake-up per batch. */
  public interface BatchListener {
    /**
     * Called on the writer thread after each commit, after the callbacks, with the batch's stored
     * sends in order (failed sends are left out). A {@code duplicate} is a repeat that was already
     * delivered: skip it when fanning out. Must return quickly.
     */
    void committed(List<Appended> batch);

    /**
     * Called on the writer thread after each commit, before any answer: how many sends the batch
     * had, how many of them are new messages (not failed, not repeats), and how long writing and
     * committing took. For metrics; must be quick.
     */
    default void written(int sends, int stored, long nanos) {}

    /**
     * Wraps the answers to one committed batch (every callback, then {@link #committed}), for a
     * listener that wants to act before and after them, like waking each event loop once. Must run
     * {@code answers} exactly once, on the calling (writer) thread.
     */
    default void answering(Runnable answers) {
      answers.run();
    }
  }

  private final MessageStore messages;
  private final StorageHealth health;
  private final BlockingQueue<PendingSend> queue;
  private final int maxBatch;
  private final LongSupplier clock;
  private final long overloadWaitNanos;
  private final MessageBatches writer;

  /** Last committed seq of each room the writer has stored to; read by any thread. */
  private final Map<String, Long> committed = new ConcurrentHashMap<>();

  /** Appends hold the read lock while queueing, so that close() sees all accepted sends. */
  private final ReadWriteLock gate = new ReentrantReadWriteLock();

  private boolean closed; // guarded by gate
  private BatchListener listener = batch -> {}; // set before start(), then read by the writer
  private NewestMessages newest; // likewise; null when nothing keeps the newest messages
  private Thread thread; // guarded by this
  private volatile Thread writerThread; // the thread that writes, once there is one
  private boolean stopping; // guarded by this

  /**
   * @param queueCapacity sends that may wait; past it {@link #append} blocks, then fails
   * @param maxBatch most sends committed in one transaction
   * @param clock the message timestamp, epoch milliseconds
   */
  public MessageLog(ChatStore store, int queueCapacity, int maxBatch, LongSupplier clock) {
    this(store, queueCapacity, maxBatch, clock, DEFAULT_OVERLOAD_WAIT);
  }

  MessageLog(
      ChatStore store, int queueCapacity, int maxBatch, LongSupplier clock, Duration overloadWait) {
    if (queueCapacity <= 0 || maxBatch <= 0) {
      throw new IllegalArgumentException("queueCapacity and maxBatch must be positive");
    }
    this.messages = store.messages();
    this.health = store.health();
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.maxBatch = maxBatch;
    this.clock = Objects.requireNonNull(clock);
    this.overloadWaitNanos = overloadWait.toNanos();
    this.writer = store.openBatches();
  }

  /** Sets the listener of committed batches; call before {@link #start()}. */
  public synchronized void setBatchListener(BatchListener listener) {
    if (thread != null || stopping) {
      throw new IllegalStateException("set the batch listener before start()");
    }
    this.listener = Objects.requireNonNull(listener);
  }

  /**
   * Hands every committed message to {@code newest} before anyone hears of it; call before {@link
   * #start()}, and only when this log is the store's one writer.
   */
  public synchronized void keepNewest(NewestMessages newest) {
    if (thread != null || stopping) {
      throw new IllegalStateException("keep the newest messages before start()");
    }
    this.newest = Objects.requireNonNull(newest);
  }

  /** Starts the writer thread. Sends appended before this wait in the queue. */
  public synchronized void start() {
    if (stopping) {
      throw new IllegalStateException("message log is closed");
    }
    if (thread != null) {
      throw new IllegalStateException("message log is already started");
    }
    thread = new Thread(this::runWriter, "jchat-message-log");
    writerThread = thread;
    // Daemon, so a host that forgets close() can still exit; nothing acked is lost, since
    // acks follow commits.
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Queues a send. Blocks while the queue is full, for at most 5 s, and then fails the callback
   * with {@code StoreException("message log is overloaded")}. Called on worker threads, never on an
   * event loop.
   *
   * @param ref the client's idempotency key, nullable
   */
  public void append(String roomId, String userId, String text, String ref, Callback callback) {
    PendingSend send =
        new PendingSend(
            Objects.requireNonNull(roomId),
            Objects.requireNonNull(userId),
            Objects.requireNonNull(text),
            ref,
            Objects.requireNonNull(callback));
    StoreException refused = enqueue(send);
    if (refused != null) {
      Delivery.failed(send, refused);
    }
  }

  /**
   * Queues a send only if that needs no waiting: for event-loop threads, which must never block.
   * Returns false, with nothing queued and the callback untouched, when the queue is full or the
   * log is closing; the caller then hands the send to a worker and {@link #append}.
   */
  public boolean tryAppend(
      String roomId, String userId, String text, String ref, Callback callback) {
    PendingSend send =
        new PendingSend(
            Objects.requireNonNull(roomId),
            Objects.requireNonNull(userId),
            Objects.requireNonNull(text),
            ref,
            Objects.requireNonNull(callback));
    Lock lock = gate.readLock();
    if (!lock.tryLock()) {
      return false;
    }
    try {
      return !closed && queue.offer(send);
    } finally {
      lock.unlock();
    }
  }

  /** Queues {@code send}; or says why not. */
  private StoreException enqueue(PendingSend send) {
    // On the writer thread (a callback or listener that appends, like a bot's reply) nothing
    // may wait: only that thread empties the queue, and close() waits for the appenders the
    // full queue holds up. Only close() takes the write lock, so not getting the read lock
    // means the log is closing.
    boolean onWriter = Thread.currentThread() == writerThread;
    Lock lock = gate.readLock();
    if (!onWriter) {
      lock.lock();
    } else if (!lock.tryLock()) {
      return new LogClosedException();
    }
    try {
      if (closed) {
        return new LogClosedException();
      }
      boolean queued =
          onWriter ? queue.offer(send) : queue.offer(send, overloadWaitNanos, TimeUnit.NANOSECONDS);
      return queued ? null : new StoreUnavailableException("message log is overloaded");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new StoreException("append message: interrupted while the log was full", e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Tells the log a room's last committed seq, read by the caller anyway (rooms loaded at start, 0
   * for a new room), so that {@link #lastSeq} answers from memory instead of asking the database
   * for every room nobody has written to yet.
   */
  public void knownRoom(String roomId, long lastSeq) {
    committed.merge(roomId, lastSeq, Math::max);
  }

  /**
   * The room's last committed seq: every message up to it can be read. 0 for a room without
   * messages or an unknown room. Any thread; reads the database for a room the writer has not
   * stored to yet.
   */
  public long lastSeq(String roomId) {
    Long last = committed.get(roomId);
    return last != null ? last : messages.lastSeq(roomId);
  }

  /**
   * Stops accepting sends, commits everything already queued (also when {@link #start()} was never
   * called, on this thread then), and stops the writer. Idempotent; call before {@link
   * Database#close()}.
   */
  @Override
  public synchronized void close() {
    if (!stopping) {
      stopping = true;
      gate.writeLock().lock();
      try {
        closed = true;
      } finally {
        gate.writeLock().unlock();
      }
      if (thread == null) {
        writerThread = Thread.currentThread();
        drainHere();
      } else {
        putUninterruptibly(STOP);
      }
    }
    if (thread != null) {
      joinUninterruptibly(thread);
    }
  }

  private void runWriter() {
    List<PendingSend> batch = new ArrayList<>(maxBatch);
    boolean stop = false;
    while (!stop) {
      batch.add(takeUninterruptibly());
      queue.drainTo(batch, maxBatch - 1);
      // STOP is the last thing ever queued, so it can only end a batch.
      stop = batch.get(batch.size() - 1) == STOP;
      if (stop) {
        batch.remove(batch.size() - 1);
      }
      if (!batch.isEmpty()) {
        writeBatch(batch);
      }
      batch.clear();
    }
    writer.close();
  }

  /** close() before start(): nothing else can touch the queue now, so this thread writes. */
  private void drainHere() {
    List<PendingSend> batch = new ArrayList<>(maxBatch);
    while (queue.drainTo(batch, maxBatch) > 0) {
      writeBatch(batch);
      batch.clear();
    }
    writer.close();
  }

  private void writeBatch(List<PendingSend> batch) {
    List<MessageBatches.Outcome> outcomes;
    long started = System.nanoTime();
    try {
      outcomes = writer.write(batch, clock);
    } catch (StoreUnavailableException e) {
      health.failed(e); // logs it, sparingly
      Delivery.rolledBack(batch, e);
      return;
    } catch (StoreException e) {
      Delivery.LOG.log(System.Logger.Level.WARNING, e.getMessage(), e);
      Delivery.rolledBack(batch, e);
      return;
    } catch (RuntimeException e) {
      StoreException failure = new StoreException("append message: " + e, e);
      Delivery.LOG.log(System.Logger.Level.ERROR, failure.getMessage(), e);
      Delivery.rolledBack(batch, failure);
      return;
    }
    health.succeeded();
    long took = System.nanoTime() - started;
    List<Appended> stored = new ArrayList<>(outcomes.size());
    for (MessageBatches.Outcome outcome : outcomes) {
      if (outcome.appended() != null) {
        stored.add(outcome.appended());
      }
    }
    if (newest != null) {
      try {
        newest.committed(stored); // before lastSeq: whoever learns of a seq finds it there
      } catch (RuntimeException e) {
        Delivery.LOG.log(System.Logger.Level.ERROR, "keeping the newest messages: " + e, e);
      }
    }
    int fresh = 0;
    for (Appended a : stored) {
      committed.merge(a.message().roomId(), a.message().seq(), Math::max);
      if (!a.duplicate()) {
        fresh++;
      }
    }
    listener.written(batch.size(), fresh, took);
    // lastSeq is published above, before anyone hears of the batch
    Delivery.committed(batch, outcomes, stored, listener);
    try {
      writer.afterBatch();
    } catch (RuntimeException e) {
      Delivery.LOG.log(System.Logger.Level.ERROR, "after a batch: " + e, e);
    }
  }

  private PendingSend takeUninterruptibly() {
    while (true) {
      try {
        return queue.take();
      } catch (InterruptedException e) {
        // Only close() stops the writer, so that no accepted send is left unanswered.
      }
    }
  }

  private void putUninterruptibly(PendingSend send) {
    boolean interrupted = false;
    while (true) {
      try {
        queue.put(send); // the writer is draining, so room appears
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static void joinUninterruptibly(Thread thread) {
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
