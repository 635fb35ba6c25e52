package dev.jchat.internal.service;

import dev.jchat.internal.store.StoreUnavailableException;

/** What a client hears when the store cannot write for now: {@code unavailable}, retry later. */
public final class Unavailable {
  private Unavailable() {}

  /** The contract's {@code unavailable} error for {@code e}, with its retry hint. */
  public static ApiError of(StoreUnavailableException e) {
    return ApiError.unavailable(
        "the server cannot store right now; try again later", e.retryAfterMillis());
  }
}
