package dev.jchat.internal.socket;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * Runs one connection's tasks in arrival order on a shared pool, one at a time; different
 * connections run in parallel. Holds at most one task in the pool's queue, so the pool's queue is
 * bounded by the number of connections. Its own queue is bounded by the caller, which stops reading
 * the socket past a high-water mark ({@link #pending}). Thread-safe.
 */
final class SerialExecutor {
  private static final Logger LOG = System.getLogger(SerialExecutor.class.getName());

  /** Tasks run per turn before yielding the pool thread to other connections. */
  private static final int BATCH = 16;

  private final Executor pool;
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
  private boolean scheduled;

  SerialExecutor(Executor pool) {
    this.pool = pool;
  }

  /** Nothing queued or running: a task run elsewhere now cannot overtake one of ours. */
  synchronized boolean idle() {
    return !scheduled && queue.isEmpty();
  }

  synchronized int pending() {
    return queue.size();
  }

  /** Queues a task behind the connection's earlier ones. */
  void submit(Runnable task) {
    synchronized (this) {
      queue.add(task);
      if (scheduled) {
        return;
      }
      scheduled = true;
    }
    pool.execute(this::runSome);
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
      } catch (RuntimeException | Error e) {
        // an Error too: otherwise `scheduled` stays set and the connection is stuck for good
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
