package dev.jchat.cli.client;

import dev.jchat.ChatException;
import dev.jchat.ChatSocket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The messages typed, in order, until the server acks them. One is in flight at a time, so they are
 * stored in the order typed. One without an ack is sent again with the same {@code ref} (stored
 * once all the same) after a reconnect or a timeout; one refused as too fast waits a second; one
 * the server could not store ({@code unavailable} with a wait hint: a full disk, a locked database)
 * is sent again with the same ref after the longer of the server's hint and a backoff doubling from
 * 1 s to 30 s, for as long as the session lasts, and the user hears once per outage; one refused
 * otherwise is dropped with an error. Thread-safe (guarded by {@code this}); acks are handled on
 * the session's worker thread.
 */
final class SendQueue {
  private static final Duration RETRY = Duration.ofSeconds(1);
  private static final Backoff STORE_BACKOFF =
      new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), Math::random);
  private final int max;
  private final Backoff storeBackoff;
  private final ScheduledExecutorService worker;
  private final Consumer<String> problems;
  private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
  private ChatSocket socket;
  private int generation;
  private Outgoing inFlight;
  private ChatSocket.Ack lastAck;
  private int refused;
  private int unstored; // unavailable answers in a row, since the last ack

  /**
   * @param max messages that may wait; more are refused
   * @param worker where acks are handled and retries scheduled
   * @param problems hears why a message was refused
   */
  SendQueue(int max, ScheduledExecutorService worker, Consumer<String> problems) {
    this(max, worker, problems, STORE_BACKOFF);
  }

  /** As above, with the backoff after {@code unavailable} answers given. */
  SendQueue(
      int max, ScheduledExecutorService worker, Consumer<String> problems, Backoff storeBackoff) {
    this.max = max;
    this.storeBackoff = storeBackoff;
    this.worker = worker;
    this.problems = problems;
  }

  private record Outgoing(String roomId, String text, String ref) {}

  /** Queues a message; false when {@code max} wait already. */
  boolean add(String roomId, String text) {
    synchronized (this) {
      if (queue.size() >= max) {
        return false;
      }
      queue.add(new Outgoing(roomId, text, "t-" + UUID.randomUUID()));
    }
    pump();
    return true;
  }

  /** Sends on this socket from now on, starting with the oldest message without an ack. */
  void online(ChatSocket s, int gen) {
    synchronized (this) {
      socket = s;
      generation = gen;
      inFlight = null;
    }
    pump();
  }

  /** Holds messages back until {@link #online}; the one in flight is sent again then. */
  synchronized void offline() {
    socket = null;
    inFlight = null;
  }

  synchronized boolean isOnline() {
    return socket != null;
  }

  /** How many messages wait for their ack. */
  synchronized int size() {
    return queue.size();
  }

  /** How many messages the server refused. */
  synchronized int refused() {
    return refused;
  }

  /**
   * Waits until no message waits for its ack, for at most {@code patience} without progress.
   *
   * @return true when none is left
   */
  synchronized boolean awaitEmpty(Duration patience) throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    int left = queue.size();
    while (!queue.isEmpty()) {
      long wait = deadline - System.nanoTime();
      if (wait <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, wait);
      if (queue.size() < left) {
        left = queue.size();
        deadline = System.nanoTime() + patience.toNanos();
      }
    }
    return true;
  }

  /** Waits while {@code limit} messages or more wait; false after {@code patience}. */
  synchronized boolean awaitBelow(int limit, Duration patience) throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (queue.size() >= limit) {
      long wait = deadline - System.nanoTime();
      if (wait <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, wait);
    }
    return true;
  }

  private void pump() {
    Outgoing next;
    ChatSocket s;
    int gen;
    synchronized (this) {
      if (inFlight != null || queue.isEmpty() || socket == null) {
        return;
      }
      next = queue.peek();
      inFlight = next;
      s = socket;
      gen = generation;
    }
    CompletableFuture<ChatSocket.Ack> ack;
    try {
      ack = s.send(next.roomId(), next.text(), next.ref());
    } catch (RuntimeException e) {
      ack = CompletableFuture.failedFuture(e);
    }
    ack.whenComplete((a, failure) -> run(() -> sent(next, gen, a, failure)));
  }

  /** The ack of the last message stored, or null before the first. */
  synchronized ChatSocket.Ack lastAck() {
    return lastAck;
  }

  private void sent(Outgoing o, int gen, ChatSocket.Ack ack, Throwable failure) {
    boolean retry = false;
    Duration delay = RETRY;
    String problem = null;
    synchronized (this) {
      if (inFlight != o) {
        return;
      }
      inFlight = null;
      ChatException e = failure == null ? null : unwrap(failure);
      if (e == null) {
        queue.remove(o);
        lastAck = ack;
        unstored = 0;
      } else if (e.code().equals("unavailable") && e.retryAfterMillis() > 0) {
        // the server answered that it cannot store now: nothing was stored, the same ref is safe
        if (gen != generation || socket == null || !socket.isOpen()) {
          return;
        }
        unstored++;
        Duration wait = storeBackoff.delay(unstored);
        delay =
            wait.toMillis() >= e.retryAfterMillis()
                ? wait
                : Duration.ofMillis(e.retryAfterMillis());
        retry = true;
        if (unstored == 1) {
          problem = "the server cannot store messages right now; still trying";
        }
      } else if (e.code().equals("unavailable")) {
        if (gen != generation || socket == null || !socket.isOpen()) {
          return; // the reconnect sends it
        }
        retry = true; // no ack in time: the same ref again is stored once
      } else if (e.code().equals("rate_limited")) {
        retry = true;
      } else {
        queue.remove(o);
        refused++;
        problem = "not sent to " + o.roomId() + ": " + e.getMessage();
      }
      notifyAll();
    }
    if (problem != null) {
      problems.accept(problem);
    }
    if (retry) {
      schedule(this::pump, delay);
    } else {
      pump();
    }
  }

  private void run(Runnable task) {
    try {
      worker.execute(task);
    } catch (RejectedExecutionException closed) {
      // the session is closed: nothing more to send
    }
  }

  private void schedule(Runnable task, Duration delay) {
    try {
      worker.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closed) {
      // the session is closed: nothing more to send
    }
  }

  static ChatException unwrap(Throwable failure) {
    Throwable t =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    return t instanceof ChatException e
        ? e
        : new ChatException("internal", 0, String.valueOf(t.getMessage()), t);
  }
}
