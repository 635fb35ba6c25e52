package dev.jchat;

/**
 * A stored chat message, as every member of its room sees it.
 *
 * @param roomId the room it was posted to
 * @param seq its position in the room: starts at 1, no gaps
 * @param from the user id of the sender
 * @param text the message text
 * @param timestamp the server's time when it was stored, epoch milliseconds
 */
public record ChatMessage(String roomId, long seq, String from, String text, long timestamp) {}
