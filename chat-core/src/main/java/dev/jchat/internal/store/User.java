package dev.jchat.internal.store;

/**
 * A registered account; an immutable value, safe to share between threads.
 *
 * @param name display name, nullable
 * @param email nullable
 * @param passwordHash the encoded hash, never the password
 * @param createdAt epoch milliseconds
 */
public record User(String userId, String name, String email, String passwordHash, long createdAt) {}
