package dev.jchat.internal.socket;

import dev.jchat.internal.service.ApiError;

/**
 * A message from a client on the chat socket; which fields matter depends on {@code type}. Unknown
 * fields are ignored; wrong JSON types are rejected by the mapper.
 */
record ClientFrame(
    String type,
    String token,
    String room,
    Long since,
    String text,
    String ref,
    Long before,
    Object after,
    Integer limit) {

  /** {@code after} of a {@code history} request: a seq. */
  Long afterSeq() {
    if (after == null) {
      return null;
    }
    if (after instanceof Integer || after instanceof Long) {
      return ((Number) after).longValue();
    }
    throw ApiError.badRequest("\"after\" must be a whole number here");
  }

  /** {@code after} of a {@code rooms} request: a room id cursor. */
  String afterRoomId() {
    if (after == null) {
      return null;
    }
    if (after instanceof String id) {
      return id;
    }
    throw ApiError.badRequest("\"after\" must be a room id here");
  }
}
