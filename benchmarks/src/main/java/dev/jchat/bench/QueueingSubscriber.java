package dev.jchat.bench;

import dev.jchat.internal.room.Subscriber;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A chat socket as a room sees it, without the socket: {@link #deliver} does what the server's
 * {@code Connection.send} does to its outbound queue (queue the shared frame array, count its
 * bytes, refuse past the 1 MiB backlog limit, and claim one flush on its event loop until the loop
 * has run it). The {@link LoopStandIn} plays the event loop: running its flushes discards what was
 * queued, in constant time per subscriber, where the real loop would copy the bytes into its buffer
 * and write them. Used by one thread at a time.
 */
final class QueueingSubscriber implements Subscriber {
  /** The server's default backlog limit per connection. */
  static final long OUTBOUND_LIMIT = 1024 * 1024;

  private final String userId;
  private final LoopStandIn loop;
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicBoolean flushScheduled = new AtomicBoolean();
  private ConcurrentLinkedQueue<byte[]> frames = new ConcurrentLinkedQueue<>();
  private long refused;

  QueueingSubscriber(String userId, LoopStandIn loop) {
    this.userId = userId;
    this.loop = loop;
  }

  @Override
  public String userId() {
    return userId;
  }

  @Override
  public boolean deliver(byte[] frame) {
    frames.add(frame);
    if (queuedBytes.addAndGet(frame.length) > OUTBOUND_LIMIT) {
      refused++;
      return false;
    }
    loop.scheduleFlush(this);
    return true;
  }

  @Override
  public void overflowed() {
    refused++;
  }

  /** Frames refused or held back too long; a correct run has none. */
  long refused() {
    return refused;
  }

  private boolean claimFlush() {
    return flushScheduled.compareAndSet(false, true);
  }

  private void flushed() {
    flushScheduled.set(false);
    frames = new ConcurrentLinkedQueue<>();
    queuedBytes.set(0);
  }

  /**
   * The part of an event loop that fan-out touches: a queue of connections to flush, and a wake-up
   * flag that makes a burst of deliveries cost one wake-up of a sleeping loop.
   */
  static final class LoopStandIn {
    private final ConcurrentLinkedQueue<QueueingSubscriber> flushes = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sleeping = new AtomicBoolean(true);

    void scheduleFlush(QueueingSubscriber s) {
      if (s.claimFlush()) {
        flushes.add(s);
        // Where this succeeds, the real loop also calls Selector.wakeup().
        sleeping.compareAndSet(true, false);
      }
    }

    /** Flushes every scheduled subscriber, then goes back to sleep. */
    void runFlushes() {
      QueueingSubscriber s;
      while ((s = flushes.poll()) != null) {
        s.flushed();
      }
      sleeping.set(true);
    }
  }
}
