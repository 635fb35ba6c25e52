package dev.jchat.internal.store;

import java.util.Optional;

/** Accounts, with their password hashes. Thread-safe; called on worker threads. */
public interface UserStore {
  /** Registers {@code user}; {@code false} when the user id is taken. */
  boolean create(User user);

  /** Whether an operator disabled the user ({@code chat admin disable}). */
  boolean isDisabled(String userId);

  /** Replaces a user's password hash (with one of stronger settings, at login). */
  void updatePasswordHash(String userId, String passwordHash);

  Optional<User> find(String userId);

  boolean exists(String userId);
}
