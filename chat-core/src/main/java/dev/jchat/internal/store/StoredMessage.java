package dev.jchat.internal.store;

/**
 * A committed message; an immutable value, safe to share between threads.
 *
 * @param seq its position in the room: from 1, without gaps
 * @param from the sender's user id (not necessarily a registered user)
 * @param ts the server's time when it was stored, epoch milliseconds
 */
public record StoredMessage(String roomId, long seq, String from, String text, long ts) {}
