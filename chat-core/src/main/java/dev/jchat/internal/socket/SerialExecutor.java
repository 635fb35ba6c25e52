package dev.jchat.internal.socket;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * Runs one connection's tasks in arrival order on a shared pool, one at a time; different
 * connections run in parallel. Holds at most one task in the pool's queue, so the pool's queue
 * is bounded by the number of connections. Thread-safe.
 */
final class SerialExecutor {
  private static final Logger LOG = System.getLogger(SerialExecutor.class.getName());
  /** Tasks run per turn before yielding the pool thread to other connections. */
  private static final int BATCH = 16;

  private final Executor pool;
  private final int capacity;
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
  private boolean scheduled;

  SerialExecutor(Executor pool, int capacity) {
    this.pool = pool;
    this.capacity = capacity;
  }

  /** Queues a task; false (and nothing queued) when {@code capacity} tasks are already waiting. */
  boolean submit(Runnable task) {
    return enqueue(task, false);
  }

  /** Queues a task even past the capacity: for the one cleanup task at close. */
  void submitAlways(Runnable task) {
    enqueue(task, true);
  }

  /** Nothing queued or running: a task run elsewhere now cannot overtake one of ours. */
  synchronized boolean idle() {
    return !scheduled && queue.isEmpty();
  }

  synchronized int pending() {
    return queue.size();
  }

  private boolean enqueue(Runnable task, boolean always) {
    synchronized (this) {
      if (!always && queue.size() >= capacity) return false;
      queue.add(task);
      if (scheduled) return true;
      scheduled = true;
    }
    pool.execute(this::runSome);
    return true;
  }

  private void runSome() {
    for (int i = 0; i < BATCH; i++) {
      Runnable task;
      synchronized (this) {
        task = queue.poll();
        if (task == null) {
          scheduled = false;
          return;
        }
      }
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "connection task failed", e);
      }
    }
    synchronized (this) {
      if (queue.isEmpty()) {
        scheduled = false;
        return;
      }
    }
    pool.execute(this::runSome);
  }
}
