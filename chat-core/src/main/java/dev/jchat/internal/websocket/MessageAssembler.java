package dev.jchat.internal.websocket;

import java.util.Arrays;

/**
 * A text message that is not complete yet: fragments, or a frame cut by the end of a read. Its
 * array grows with the bytes that actually arrived, so a peer that announces a large frame and then
 * stalls costs no more than it sent; growth is geometric (at most twice what arrived) so many small
 * pieces still cost linear copying. Its UTF-8 is checked as each piece arrives.
 *
 * <p>Created for one message and dropped when it is delivered; owned by the decoder's thread.
 */
final class MessageAssembler {
  private final Utf8Validator utf8 = new Utf8Validator();

  /** Null until the first payload byte arrives. */
  private byte[] bytes;

  private int length;

  /** Payload bytes so far. */
  int length() {
    return length;
  }

  /**
   * Makes room for {@code n} more bytes and returns the index in {@link #array()} to write them at.
   * {@code reachable} is the most this message can still become (never less than {@code length() +
   * n}); the array never grows past it, so a message whose last frame is known usually ends in an
   * exactly sized array.
   */
  int reserve(int n, int reachable) {
    int needed = length + n;
    int capacity = bytes == null ? 0 : bytes.length;
    if (needed > capacity) {
      int grown = (int) Math.min(reachable, Math.max(needed, 2L * capacity));
      bytes = bytes == null ? new byte[grown] : Arrays.copyOf(bytes, grown);
    }
    return length;
  }

  /** The array to write reserved bytes into; replaced by {@link #reserve} when it grows. */
  byte[] array() {
    return bytes;
  }

  /**
   * Accepts the {@code n} bytes written at the last reserved index. Returns false as soon as they
   * make the message invalid UTF-8.
   */
  boolean commit(int n) {
    boolean valid = utf8.feed(bytes, length, n);
    length += n;
    return valid;
  }

  /** The whole message in an array of its exact length, or null if it ends mid-code point. */
  byte[] finish() {
    if (!utf8.complete()) {
      return null;
    } else if (bytes == null) {
      return new byte[0];
    }
    return bytes.length == length ? bytes : Arrays.copyOf(bytes, length);
  }
}
