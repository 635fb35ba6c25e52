package dev.jchat.internal.http;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A request body as it arrives, grown with the bytes actually received rather than the length
 * declared, so a client that announces a large body and sends nothing costs nothing. Owned by the
 * parser of one connection.
 */
final class BodyBuffer {
  private static final byte[] EMPTY = new byte[0];

  private final int capacityLimit;
  private byte[] bytes = EMPTY;
  private int size;

  /** A body of at most {@code capacityLimit} bytes: the exact length when it is known. */
  BodyBuffer(int capacityLimit) {
    this.capacityLimit = capacityLimit;
  }

  /** Moves {@code count} bytes from {@code src}, which must have them, into the body. */
  void append(ByteBuffer src, int count) {
    int needed = size + count;
    if (needed > bytes.length) {
      int doubled = Math.max(needed, Math.max(2 * bytes.length, 256));
      bytes = Arrays.copyOf(bytes, Math.min(doubled, Math.max(needed, capacityLimit)));
    }
    src.get(bytes, size, count);
    size = needed;
  }

  int size() {
    return size;
  }

  /** The body; the buffer is not used afterwards, so its array is handed over when it fits. */
  byte[] toByteArray() {
    return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
  }
}
