package dev.jchat.internal.store;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Answers committed batches (callbacks, fan-out) on a thread of its own, one batch at a time in the
 * order the writer handed them over, so that the message log's writer commits the next batch while
 * this one is answered: the two halves of group commit run on two cores instead of taking turns on
 * one. Nothing is handed over before it is committed, so nothing is answered before.
 *
 * <p>The hand-over holds a few batches; past that the writer waits (backpressure, so answers cannot
 * fall behind without bound). Owned by {@link MessageLog}: {@link #hand} from its writer thread
 * only.
 */
final class AnswerThread {
  /** Batches waiting to be answered before the writer waits: enough to keep both busy. */
  private static final int DEPTH = 4;

  private static final Runnable STOP = () -> {};

  private final BlockingQueue<Runnable> batches = new ArrayBlockingQueue<>(DEPTH);
  private final Thread thread;

  AnswerThread(String name) {
    this.thread = new Thread(this::run, name);
    // like the writer: a host that forgets close() can still exit; nothing unanswered was acked
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  boolean isCurrent() {
    return Thread.currentThread() == thread;
  }

  /**
   * Queues the answers to one batch; waits while {@code DEPTH} batches are waiting. Writer only.
   */
  void hand(Runnable answers) {
    putUninterruptibly(answers);
  }

  /** Answers everything handed over so far, then ends the thread and waits for it. Writer only. */
  void finish() {
    putUninterruptibly(STOP);
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

  private void run() {
    while (true) {
      Runnable answers = takeUninterruptibly();
      if (answers == STOP) {
        return;
      }
      try {
        answers.run();
      } catch (RuntimeException | Error e) { // Delivery catches per callback; this is a last guard
        Delivery.LOG.log(System.Logger.Level.ERROR, "answering a message batch failed", e);
      }
    }
  }

  private Runnable takeUninterruptibly() {
    while (true) {
      try {
        return batches.take();
      } catch (InterruptedException e) {
        // Only finish() stops this thread, so that no committed send is left unanswered.
      }
    }
  }

  private void putUninterruptibly(Runnable answers) {
    boolean interrupted = false;
    while (true) {
      try {
        batches.put(answers);
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
