package dev.jchat.internal.store;

/**
 * A send waiting in the message log's queue. Created on a worker thread, then owned by the writer
 * thread and its {@link MessageBatches}.
 *
 * @param ref the client's idempotency key, nullable
 */
public record PendingSend(
    String roomId, String userId, String text, String ref, MessageLog.Callback callback) {}
