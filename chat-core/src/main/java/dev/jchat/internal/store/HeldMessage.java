package dev.jchat.internal.store;

import java.util.function.Function;

/**
 * A message as {@link NewestMessages} holds it, with its JSON once a read asked for it: a room's
 * newest messages are read by many, and each is encoded once rather than once per page.
 *
 * <p>Threads: made on whichever thread fills a tail, read on workers. The JSON is published through
 * a volatile field; two readers that find it missing at once both encode the same bytes, and either
 * copy serves.
 */
final class HeldMessage {
  final StoredMessage message;
  private volatile byte[] json;

  HeldMessage(StoredMessage message) {
    this.message = message;
  }

  /** The message's JSON object, encoded by {@code encoder} the first time. Not to be changed. */
  byte[] json(Function<StoredMessage, byte[]> encoder) {
    byte[] encoded = json;
    if (encoded == null) {
      encoded = encoder.apply(message);
      json = encoded;
    }
    return encoded;
  }
}
