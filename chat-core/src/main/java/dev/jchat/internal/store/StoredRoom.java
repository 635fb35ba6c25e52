package dev.jchat.internal.store;

/**
 * A chat room; an immutable value, safe to share between threads.
 *
 * @param isPrivate only members may see, read or join it
 * @param createdBy the creating user, or {@code "system"} for rooms configured at start
 * @param createdAt epoch milliseconds
 */
public record StoredRoom(
    String roomId, String name, boolean isPrivate, String createdBy, long createdAt) {}
