package dev.jchat.internal.client;

import java.net.http.WebSocket;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Sends a socket's frames one at a time, in the order offered ({@code java.net.http} allows one
 * outstanding send), holding at most a fixed number. Thread-safe.
 */
final class Outbox {
  private final WebSocket webSocket;
  private final int max;
  private final Consumer<Throwable> onFailure;
  private final ArrayDeque<Function<WebSocket, CompletableFuture<WebSocket>>> queue =
      new ArrayDeque<>();
  private boolean sending;
  private boolean closing;

  Outbox(WebSocket webSocket, int max, Consumer<Throwable> onFailure) {
    this.webSocket = webSocket;
    this.max = max;
    this.onFailure = onFailure;
  }

  /** Queues a text frame; false when the queue is full or a close is queued. */
  boolean offer(String text) {
    return enqueue(ws -> ws.sendText(text, true), false);
  }

  /** Queues a close frame after the frames already queued; later offers are refused. */
  void close(int code, String reason) {
    enqueue(ws -> ws.sendClose(code, reason), true);
  }

  private boolean enqueue(Function<WebSocket, CompletableFuture<WebSocket>> send, boolean isClose) {
    synchronized (this) {
      if (closing || (!isClose && queue.size() >= max)) {
        return false;
      }
      closing = isClose;
      queue.add(send);
    }
    pump();
    return true;
  }

  private void pump() {
    while (true) {
      Function<WebSocket, CompletableFuture<WebSocket>> next;
      synchronized (this) {
        if (sending || queue.isEmpty()) {
          return;
        }
        sending = true;
        next = queue.poll();
      }
      CompletableFuture<WebSocket> sent;
      try {
        sent = next.apply(webSocket);
      } catch (RuntimeException e) {
        sent = CompletableFuture.failedFuture(e);
      }
      if (sent.isDone() && !sent.isCompletedExceptionally()) {
        synchronized (this) {
          sending = false;
        }
        continue; // a loop, not recursion, when sends complete at once
      }
      sent.whenComplete(this::sent);
      return;
    }
  }

  private void sent(WebSocket ws, Throwable failure) {
    synchronized (this) {
      sending = false;
      if (failure != null) {
        queue.clear();
      }
    }
    if (failure != null) {
      onFailure.accept(failure);
    } else {
      pump();
    }
  }
}
