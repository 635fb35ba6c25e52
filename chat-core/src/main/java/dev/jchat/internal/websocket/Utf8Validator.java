package dev.jchat.internal.websocket;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Checks UTF-8 incrementally, as a state machine whose state survives between calls, so a code
 * point split across fragments or reads is judged once its bytes arrive. It accepts exactly the
 * well-formed sequences of Unicode's table 3-7: no overlong forms, no surrogates (U+D800 to
 * U+DFFF), nothing above U+10FFFF. It fails fast: {@link #feed} returns false as soon as a byte
 * cannot continue any valid sequence, so a bad message is rejected before it is complete.
 *
 * <p>Owned by the decoder that holds it, so by one thread at a time.
 */
final class Utf8Validator {
  /** Between code points; the only state a complete message may end in. */
  private static final int ACCEPT = 0;

  /** Sticky: nothing after an invalid byte can make the input valid again. */
  private static final int REJECT = -1;

  // The other states wait for a continuation byte. Each allows its own range, which is how
  // overlongs (E0 80..9F, F0 80..8F), surrogates (ED A0..BF) and code points beyond U+10FFFF
  // (F4 90..BF) are refused at their second byte.
  //   state: 1 = last byte, 2 = two left, 3 = after E0, 4 = after ED,
  //          5 = three left, 6 = after F0, 7 = after F4.
  private static final int[] MIN = {0, 0x80, 0x80, 0xA0, 0x80, 0x80, 0x90, 0x80};
  private static final int[] MAX = {0, 0xBF, 0xBF, 0xBF, 0x9F, 0xBF, 0xBF, 0x8F};
  private static final int[] NEXT = {0, ACCEPT, 1, 1, 1, 2, 2, 2};

  private static final long HIGH_BITS = 0x8080_8080_8080_8080L;
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private int state = ACCEPT;

  /**
   * Checks the next {@code length} bytes of the message. Returns false once the input so far cannot
   * be the start of valid UTF-8; it keeps returning false until {@link #reset}.
   */
  boolean feed(byte[] a, int offset, int length) {
    if (state != REJECT) {
      state = advance(state, a, offset, offset + length);
    }
    return state != REJECT;
  }

  /** Whether everything fed so far is valid and ends between code points. */
  boolean complete() {
    return state == ACCEPT;
  }

  /** Forgets the previous message. */
  void reset() {
    state = ACCEPT;
  }

  /** Whether {@code a[offset, offset + length)} is, by itself, complete and valid UTF-8. */
  static boolean isValid(byte[] a, int offset, int length) {
    return advance(ACCEPT, a, offset, offset + length) == ACCEPT;
  }

  private static int advance(int state, byte[] a, int from, int to) {
    int i = from;
    while (i < to) {
      if (state == ACCEPT) {
        // Chat text is mostly ASCII: skip it eight bytes at a time.
        while (to - i >= Long.BYTES && ((long) LONG.get(a, i) & HIGH_BITS) == 0) {
          i += Long.BYTES;
        }
        if (i == to) {
          break;
        }
        state = afterLeadByte(a[i++] & 0xFF);
        if (state == REJECT) {
          return REJECT;
        }
      } else {
        int b = a[i++] & 0xFF;
        if (b < MIN[state] || b > MAX[state]) {
          return REJECT;
        }
        state = NEXT[state];
      }
    }
    return state;
  }

  private static int afterLeadByte(int b) {
    if (b < 0x80) {
      return ACCEPT;
    } else if (b < 0xC2) {
      return REJECT; // a continuation byte with nothing to continue, or overlong C0/C1
    } else if (b <= 0xDF) {
      return 1;
    } else if (b == 0xE0) {
      return 3;
    } else if (b == 0xED) {
      return 4;
    } else if (b <= 0xEF) {
      return 2;
    } else if (b == 0xF0) {
      return 6;
    } else if (b <= 0xF3) {
      return 5;
    } else if (b == 0xF4) {
      return 7;
    }
    return REJECT; // F5..FF start nothing in Unicode
  }
}
