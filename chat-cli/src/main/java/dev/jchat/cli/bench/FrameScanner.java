package dev.jchat.cli.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads what the load generator needs from a server frame without parsing its JSON: the {@code
 * type}, the stamp at the start of a message's {@code text}, and short string fields of rare
 * frames. Every delivered message goes through here, so nothing is allocated on that path.
 *
 * <p>A key is found as the bytes {@code "key"} followed by optional whitespace and a colon. That
 * cannot match inside a string value, where every quote is escaped; the first match wins, which is
 * the top-level field as long as the server writes it before any nested object, as every server of
 * the protocol does. Stateless; any thread.
 */
final class FrameScanner {
  static final int OTHER = 0;
  static final int MESSAGE = 1;
  static final int ACK = 2;
  static final int ERROR = 3;
  static final int WELCOME = 4;
  static final int JOINED = 5;
  static final int HISTORY = 6;

  private static final byte[] TYPE_KEY = ascii("\"type\"");
  private static final byte[] TEXT_KEY = ascii("\"text\"");

  /** What the fast path expects a frame to start with. */
  private static final byte[] TYPE_FIRST = ascii("{\"type\":\"");

  private static final byte[][] TYPES = {
    null,
    ascii("message\""),
    ascii("ack\""),
    ascii("error\""),
    ascii("welcome\""),
    ascii("joined\""),
    ascii("history\"")
  };
  private static final int MAX_DIGITS = 18;

  private FrameScanner() {}

  /**
   * One of {@link #MESSAGE}, {@link #ACK}, {@link #ERROR}, {@link #WELCOME}, {@link #JOINED},
   * {@link #HISTORY}, or {@link #OTHER}.
   */
  static int type(byte[] f) {
    int at = startsWith(f, 0, TYPE_FIRST) ? TYPE_FIRST.length : stringValueAt(f, TYPE_KEY);
    if (at < 0) {
      return OTHER;
    }
    for (int t = MESSAGE; t < TYPES.length; t++) {
      if (startsWith(f, at, TYPES[t])) {
        return t;
      }
    }
    return OTHER;
  }

  /**
   * The number after {@code t=} at the start of the {@code text} field, as {@link
   * ClientFrames#send} writes it; -1 when the text does not start that way.
   */
  static long stamp(byte[] f) {
    int at = stringValueAt(f, TEXT_KEY);
    if (at < 0 || at + 2 > f.length || f[at] != 't' || f[at + 1] != '=') {
      return -1;
    }
    return digits(f, at + 2);
  }

  /**
   * The number after {@code c=}, which follows the stamp in a text {@link ClientFrames#send} wrote;
   * -1 if none.
   */
  static long sender(byte[] f) {
    int at = stringValueAt(f, TEXT_KEY);
    if (at < 0 || at + 2 > f.length || f[at] != 't' || f[at + 1] != '=') {
      return -1;
    }
    int i = at + 2;
    while (i < f.length && isDigit(f[i])) {
      i++;
    }
    if (i + 3 > f.length || f[i] != ' ' || f[i + 1] != 'c' || f[i + 2] != '=') {
      return -1;
    }
    return digits(f, i + 3);
  }

  /**
   * The raw value of a top-level string field, escapes left as they are (fine for codes and ids);
   * null when absent or not a string. For rare frames: it allocates.
   */
  static String stringField(byte[] f, String key) {
    int at = stringValueAt(f, ascii("\"" + key + "\""));
    if (at < 0) {
      return null;
    }
    int end = at;
    while (end < f.length && f[end] != '"') {
      end += f[end] == '\\' ? 2 : 1;
    }
    return end < f.length ? new String(f, at, end - at, StandardCharsets.UTF_8) : null;
  }

  private static final byte[] SEQ_KEY = ascii("\"seq\"");
  private static final byte[] HISTORY_KEY = ascii("\"history\"");

  /** The {@code seq} of a {@code message} or {@code ack}; -1 if it has none. */
  static long seq(byte[] f) {
    return numberAt(f, valueAt(f, SEQ_KEY, 0));
  }

  /** How many messages a frame or REST answer carries: the number of {@code "seq"} keys in it. */
  static int seqCount(byte[] f) {
    int n = 0;
    for (int at = valueAt(f, SEQ_KEY, 0); at >= 0; at = valueAt(f, SEQ_KEY, at)) {
      n++;
    }
    return n;
  }

  /** The value of a top-level number field such as {@code lastSeq}; -1 if absent. Allocates. */
  static long numberField(byte[] f, String key) {
    return numberAt(f, valueAt(f, ascii("\"" + key + "\""), 0));
  }

  /**
   * The {@code seq} of every message in a {@code joined} frame's {@code history}, in order. The
   * array is the frame's last field in every server of the protocol, and a {@code "seq"} key cannot
   * occur inside a string value there, where quotes are escaped.
   */
  static long[] historySeqs(byte[] f) {
    int at = valueAt(f, HISTORY_KEY, 0);
    long[] seqs = new long[8];
    int n = 0;
    while (at >= 0) {
      at = valueAt(f, SEQ_KEY, at);
      long seq = numberAt(f, at);
      if (seq < 0) {
        break;
      }
      if (n == seqs.length) {
        seqs = Arrays.copyOf(seqs, 2 * n);
      }
      seqs[n++] = seq;
    }
    return Arrays.copyOf(seqs, n);
  }

  /** Where the value of {@code key} (found at or after {@code from}) starts; -1 if none. */
  private static int valueAt(byte[] f, byte[] key, int from) {
    if (from < 0) {
      return -1;
    }
    while (true) {
      int k = indexOf(f, key, from);
      if (k < 0) {
        return -1;
      }
      int i = skipSpaces(f, k + key.length);
      if (i < f.length && f[i] == ':') {
        return skipSpaces(f, i + 1);
      }
      from = k + 1;
    }
  }

  private static long numberAt(byte[] f, int at) {
    return at < 0 ? -1 : digits(f, at);
  }

  /** Where the string value of {@code key} starts (after its opening quote); -1 if none. */
  private static int stringValueAt(byte[] f, byte[] key) {
    int from = 0;
    while (true) {
      int k = indexOf(f, key, from);
      if (k < 0) {
        return -1;
      }
      int i = skipSpaces(f, k + key.length);
      if (i < f.length && f[i] == ':') {
        i = skipSpaces(f, i + 1);
        return i < f.length && f[i] == '"' ? i + 1 : -1;
      }
      from = k + 1;
    }
  }

  private static long digits(byte[] f, int from) {
    long value = 0;
    int i = from;
    while (i < f.length && i - from < MAX_DIGITS && isDigit(f[i])) {
      value = value * 10 + (f[i] - '0');
      i++;
    }
    return i == from ? -1 : value;
  }

  private static int skipSpaces(byte[] f, int i) {
    while (i < f.length && (f[i] == ' ' || f[i] == '\t' || f[i] == '\n' || f[i] == '\r')) {
      i++;
    }
    return i;
  }

  private static int indexOf(byte[] f, byte[] pattern, int from) {
    byte first = pattern[0];
    for (int i = from, last = f.length - pattern.length; i <= last; i++) {
      if (f[i] == first && startsWith(f, i, pattern)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean startsWith(byte[] f, int at, byte[] prefix) {
    if (at + prefix.length > f.length) {
      return false;
    }
    for (int j = 0; j < prefix.length; j++) {
      if (f[at + j] != prefix[j]) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
