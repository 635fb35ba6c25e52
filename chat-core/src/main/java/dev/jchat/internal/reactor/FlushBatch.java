package dev.jchat.internal.reactor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lets a thread that queues frames on many connections at once (the message log's writer, for a
 * committed batch) wake each event loop once at the end instead of as it goes. Besides saving
 * wake-ups, it keeps what one batch queues for one connection (a sender's ack and its own message)
 * together, so the loop writes it in one call. Per thread; not reentrant-sensitive.
 */
public final class FlushBatch {
  private static final ThreadLocal<List<Connection>> DEFERRED = new ThreadLocal<>();

  private FlushBatch() {}

  /** Runs {@code work}; flushes it asks for are handed to the loops when it returns. */
  public static void run(Runnable work) {
    if (DEFERRED.get() != null) {
      work.run();
      return;
    }
    List<Connection> deferred = new ArrayList<>();
    DEFERRED.set(deferred);
    try {
      work.run();
    } finally {
      DEFERRED.remove();
      dispatch(deferred);
    }
  }

  /** Holds a flush back when the current thread is inside {@link #run}; false otherwise. */
  static boolean defer(Connection c) {
    List<Connection> deferred = DEFERRED.get();
    if (deferred == null) {
      return false;
    }
    deferred.add(c);
    return true;
  }

  private static void dispatch(List<Connection> deferred) {
    if (deferred.isEmpty()) {
      return;
    }
    Map<EventLoop, Boolean> loops = new IdentityHashMap<>();
    for (Connection c : deferred) {
      c.loop().enqueueFlush(c);
      loops.put(c.loop(), Boolean.TRUE);
    }
    for (EventLoop loop : loops.keySet()) {
      loop.wake();
    }
  }
}
