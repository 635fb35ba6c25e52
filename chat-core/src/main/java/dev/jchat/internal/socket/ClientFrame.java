package dev.jchat.internal.socket;

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
    Long after,
    Integer limit) {}
