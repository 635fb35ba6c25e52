package dev.jchat.internal.store;

import java.util.AbstractList;
import java.util.RandomAccess;
import java.util.function.Function;

/**
 * A page of messages answered from memory ({@link NewestMessages}), which also gives each message's
 * JSON object, encoded once for every page it is on. A writer of message lists that knows this type
 * copies the bytes instead of encoding; to everyone else it is an unmodifiable list. Immutable.
 */
public final class EncodedPage extends AbstractList<StoredMessage> implements RandomAccess {
  private final HeldMessage[] messages;
  private final Function<StoredMessage, byte[]> encoder;

  EncodedPage(HeldMessage[] messages, Function<StoredMessage, byte[]> encoder) {
    this.messages = messages;
    this.encoder = encoder;
  }

  @Override
  public StoredMessage get(int index) {
    return messages[index].message;
  }

  @Override
  public int size() {
    return messages.length;
  }

  /**
   * The UTF-8 JSON object of message {@code index}, exactly as the encoder writes it; shared, so
   * never to be changed.
   */
  public byte[] json(int index) {
    return messages[index].json(encoder);
  }
}
