package dev.jchat.cli.bench;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.SplittableRandom;

/**
 * Builds the masked frames a bench client sends, each with a fresh masking key. A {@code send}
 * carries a text that starts with its stamp and its sender, padded with {@code x} to the payload
 * size, so that the receiver can read both without parsing JSON:
 *
 * <pre>
 *   {"type":"send","room":"bench-3","text":"t=1234567890 c=17 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}
 * </pre>
 *
 * <p>The stamp is {@code System.nanoTime()} minus the run's origin, so it is never negative. One
 * per loop thread: it reuses a scratch array and is not thread-safe.
 */
final class ClientFrames {
  private static final byte[] TEXT_START = ascii("t=");
  private static final byte[] SENDER = ascii(" c=");
  private static final byte[] SEND_END = ascii("\"}");
  private static final byte[] REF_START = ascii("\",\"ref\":\"c");

  private final byte[][] sendPrefixes;
  private final int payloadBytes;
  private final SplittableRandom random;
  private final boolean refs;
  private long sends; // numbers the refs: with the client's number, unique per user
  private byte[] scratch = new byte[256];

  /**
   * @param rooms the room names, indexed as the clients' room numbers; plain ASCII ids
   * @param payloadBytes the length of each text, unless the stamp alone is longer
   */
  ClientFrames(String[] rooms, int payloadBytes, long seed) {
    this(rooms, payloadBytes, seed, false);
  }

  /**
   * @param refs every {@code send} carries {@code "ref":"c<client>-<n>"}, unique per client
   */
  ClientFrames(String[] rooms, int payloadBytes, long seed, boolean refs) {
    this.sendPrefixes = new byte[rooms.length][];
    for (int r = 0; r < rooms.length; r++) {
      sendPrefixes[r] = ascii("{\"type\":\"send\",\"room\":" + quote(rooms[r]) + ",\"text\":\"");
    }
    this.payloadBytes = payloadBytes;
    this.random = new SplittableRandom(seed);
    this.refs = refs;
  }

  byte[] hello(String token) {
    return masked(utf8("{\"type\":\"hello\",\"token\":" + quote(token) + "}"));
  }

  byte[] join(String room) {
    return masked(utf8("{\"type\":\"join\",\"room\":" + quote(room) + "}"));
  }

  /** A {@code join} that resumes after {@code since}, the last seq the client has. */
  byte[] join(String room, long since) {
    return masked(utf8("{\"type\":\"join\",\"room\":" + quote(room) + ",\"since\":" + since + "}"));
  }

  /** A {@code history} request for up to {@code limit} messages before {@code before}. */
  byte[] history(String room, long before, int limit) {
    return masked(
        utf8(
            "{\"type\":\"history\",\"room\":"
                + quote(room)
                + ",\"before\":"
                + before
                + ",\"limit\":"
                + limit
                + "}"));
  }

  /**
   * A {@code send} to room number {@code room}, stamped {@code stamp}, from client {@code client}.
   */
  byte[] send(int room, long stamp, int client) {
    byte[] prefix = sendPrefixes[room];
    int need = prefix.length + payloadBytes + 128; // stamp, client and ref digits
    if (scratch.length < need) {
      scratch = new byte[need];
    }
    int n = put(scratch, 0, prefix);
    int textStart = n;
    n = put(scratch, n, TEXT_START);
    n = putDigits(scratch, n, stamp);
    n = put(scratch, n, SENDER);
    n = putDigits(scratch, n, client);
    int missing = payloadBytes - (n - textStart);
    if (missing >= 2) {
      scratch[n++] = ' '; // never last: servers trim texts
      missing--;
    }
    for (; missing > 0; missing--) {
      scratch[n++] = 'x';
    }
    if (refs) {
      n = put(scratch, n, REF_START);
      n = putDigits(scratch, n, client);
      scratch[n++] = '-';
      n = putDigits(scratch, n, ++sends);
    }
    n = put(scratch, n, SEND_END);
    return MaskedFrameEncoder.encode(Rfc6455.OPCODE_TEXT, scratch, 0, n, random.nextInt());
  }

  byte[] pong(byte[] payload) {
    return MaskedFrameEncoder.encode(
        Rfc6455.OPCODE_PONG, payload, 0, payload.length, random.nextInt());
  }

  byte[] close(int code) {
    byte[] payload = {(byte) (code >>> 8), (byte) code};
    return MaskedFrameEncoder.encode(
        Rfc6455.OPCODE_CLOSE, payload, 0, payload.length, random.nextInt());
  }

  /** Sixteen random bytes in base64, for {@code Sec-WebSocket-Key}. */
  String handshakeKey() {
    byte[] key = new byte[16];
    random.nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  private byte[] masked(byte[] payload) {
    return MaskedFrameEncoder.encode(
        Rfc6455.OPCODE_TEXT, payload, 0, payload.length, random.nextInt());
  }

  /** A JSON string literal. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }

  private static int put(byte[] a, int at, byte[] bytes) {
    System.arraycopy(bytes, 0, a, at, bytes.length);
    return at + bytes.length;
  }

  private static int putDigits(byte[] a, int at, long value) {
    if (value < 0) {
      throw new IllegalArgumentException("Stamps and client numbers are not negative: " + value);
    }
    int digits = 1;
    for (long v = value; v >= 10; v /= 10) {
      digits++;
    }
    for (int i = at + digits - 1; i >= at; i--) {
      a[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    return at + digits;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
