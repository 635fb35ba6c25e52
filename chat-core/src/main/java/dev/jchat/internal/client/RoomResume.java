package dev.jchat.internal.client;

import dev.jchat.ChatException;
import dev.jchat.ChatSocket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The resume of a {@link ResumingSocket}'s rooms on one new connection: joins each room again with
 * {@code since}, pages back through history while the answer's gap is not filled, and hands the
 * listener what {@link RoomCursors} releases. A request that got no answer in time, or was refused
 * as too fast, is made again; a room that cannot be joined any more (removed from a private room
 * meanwhile) is forgotten and the listener hears why. Its callbacks run on the connection's thread
 * (answers) or the client's (retries); it stops once its connection is no longer current.
 */
final class RoomResume {
  private static final int PAGE = 200;
  private static final long RETRY_MILLIS = 100;

  private final ChatSocket connection;
  private final RoomCursors cursors;
  private final ChatSocket.Listener listener;
  private final Executor executor;
  private final BooleanSupplier current;

  RoomResume(
      ChatSocket connection,
      RoomCursors cursors,
      ChatSocket.Listener listener,
      Executor executor,
      BooleanSupplier current) {
    this.connection = connection;
    this.cursors = cursors;
    this.listener = listener;
    this.executor = executor;
    this.current = current;
  }

  /** Joins each room again; {@code since} is each room's cursor. */
  void start(Map<String, Long> since) {
    for (Map.Entry<String, Long> room : since.entrySet()) {
      rejoin(room.getKey(), room.getValue());
    }
  }

  /**
   * A {@code joined} on this connection: true when it answers a rejoin (and is handled here), false
   * when it answers a join the application made.
   */
  boolean answers(ChatSocket.Joined joined) {
    if (!cursors.isResuming(joined.roomId())) {
      return false;
    }
    step(joined.roomId(), cursors.rejoined(joined));
    return true;
  }

  private void rejoin(String roomId, long since) {
    connection
        .join(roomId, since)
        .whenComplete(
            (joined, failure) -> {
              if (failure != null) {
                retryOrGiveUp(roomId, ResumingSocket.unwrap(failure), () -> rejoin(roomId, since));
              }
            });
  }

  private void page(String roomId, long before) {
    connection
        .history(roomId, before, PAGE)
        .whenComplete(
            (page, failure) -> {
              if (failure != null) {
                retryOrGiveUp(roomId, ResumingSocket.unwrap(failure), () -> page(roomId, before));
              } else if (current.getAsBoolean()) {
                step(roomId, cursors.page(roomId, page));
              }
            });
  }

  private void step(String roomId, RoomCursors.Resume step) {
    for (var m : step.deliver()) {
      ResumingSocket.tell(() -> listener.onMessage(m));
    }
    if (step.pageBefore() > 0) {
      page(roomId, step.pageBefore());
    }
  }

  private void retryOrGiveUp(String roomId, ChatException e, Runnable again) {
    if (!current.getAsBoolean()) {
      return;
    }
    boolean transient_ = e.code().equals("unavailable") || e.code().equals("rate_limited");
    if (transient_ && connection.isOpen()) {
      CompletableFuture.delayedExecutor(
              Math.max(e.retryAfterMillis(), RETRY_MILLIS), TimeUnit.MILLISECONDS, executor)
          .execute(again);
    } else if (!transient_) {
      cursors.forget(roomId);
      ResumingSocket.tell(
          () ->
              listener.onError(
                  new ChatException(
                      e.code(), 0, "cannot rejoin '" + roomId + "': " + e.getMessage())));
    } // else the connection went: the next one rejoins
  }
}
