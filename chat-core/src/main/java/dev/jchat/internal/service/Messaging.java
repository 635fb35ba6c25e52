package dev.jchat.internal.service;

import dev.jchat.ChatListener;
import dev.jchat.internal.room.Room;
import dev.jchat.internal.store.MessageLog;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * The rules a message passes before it is queued for storing: text and ref checks, the per-user
 * rate limit and the embedder's veto. Worker threads only (the listener may block).
 */
public final class Messaging {
  private static final Logger LOG = System.getLogger(Messaging.class.getName());

  private final MessageLog log;
  private final ChatListener listener;
  private final RateLimiter limiter;
  private final int maxTextLength;
  private final LimitCounters limits;

  /** No embedder veto to ask, so a send can be queued without a worker. */
  private final boolean vetoFree;

  public Messaging(
      MessageLog log,
      ChatListener listener,
      RateLimiter limiter,
      int maxTextLength,
      LimitCounters limits) {
    this.limits = limits;
    this.log = log;
    this.listener = listener;
    this.limiter = limiter;
    this.maxTextLength = maxTextLength;
    this.vetoFree = !overridesBeforeMessage(listener);
  }

  /**
   * The same checks as {@link #send}, for an event-loop thread: queues the message only when that
   * cannot block (no embedder veto to ask, room in the log's queue). Returns false, with nothing
   * done, when the send must go through a worker instead; throws {@link ApiError} for a send that
   * breaks the rules.
   */
  public boolean trySendWithoutWaiting(
      String userId, Room room, String text, String ref, MessageLog.Callback callback) {
    if (!vetoFree) {
      return false;
    }
    String trimmed = Validation.requireText(text, maxTextLength);
    Validation.requireRef(ref);
    requireRate(userId);
    if (log.tryAppend(room.id(), userId, trimmed, ref, callback)) {
      return true;
    }
    limiter.refund(userId);
    return false;
  }

  /** Checks and queues a user's message; the callback hears once it is committed (or failed). */
  public void send(
      String userId, Room room, String text, String ref, MessageLog.Callback callback) {
    String trimmed = Validation.requireText(text, maxTextLength);
    Validation.requireRef(ref);
    requireRate(userId);
    veto(room.id(), userId, trimmed);
    log.append(room.id(), userId, trimmed, ref, callback);
  }

  private void requireRate(String userId) {
    long wait = limiter.acquire(userId);
    if (wait > 0) {
      limits.tripped("messages");
      throw ApiError.rateLimited("slow down: too many messages", wait);
    }
  }

  /** Queues a message from the host program: no rate limit, but the listener still sees it. */
  public void post(String userId, Room room, String text, MessageLog.Callback callback) {
    String trimmed = Validation.requireText(text, maxTextLength);
    veto(room.id(), userId, trimmed);
    log.append(room.id(), userId, trimmed, null, callback);
  }

  private static boolean overridesBeforeMessage(ChatListener listener) {
    try {
      return listener
              .getClass()
              .getMethod("beforeMessage", String.class, String.class, String.class)
              .getDeclaringClass()
          != ChatListener.class;
    } catch (NoSuchMethodException e) {
      return true;
    }
  }

  private void veto(String roomId, String userId, String text) {
    String reason;
    try {
      reason = listener.beforeMessage(roomId, userId, text);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "ChatListener.beforeMessage failed; accepting the message", e);
      return;
    }
    if (reason != null) {
      throw ApiError.forbidden(reason);
    }
  }
}
