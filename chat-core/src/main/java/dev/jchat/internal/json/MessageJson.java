package dev.jchat.internal.json;

import dev.jchat.internal.store.StoredMessage;

/**
 * A message as every client sees it: the live {@code message} frame, the entries of {@code joined}
 * and {@code history}, and the REST message list all use this one shape.
 */
public record MessageJson(String type, String room, long seq, String from, String text, long ts) {
  public static MessageJson of(StoredMessage m) {
    return new MessageJson("message", m.roomId(), m.seq(), m.from(), m.text(), m.ts());
  }
}
