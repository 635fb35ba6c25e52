package dev.jchat.internal.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes the percent-encoding of a request target (RFC 3986 section 2.1), reading the decoded
 * bytes as UTF-8. Strict: a {@code %} without two hex digits, bytes that are not UTF-8, or a raw
 * character outside ASCII are errors, never replaced. Stateless; no instances.
 */
final class PercentDecoder {
  private PercentDecoder() {}

  /**
   * Decodes {@code s}; with {@code plusIsSpace} (form-encoded query strings) a {@code +} is a
   * space.
   *
   * @throws IllegalArgumentException when {@code s} is not well-formed
   */
  static String decode(String s, boolean plusIsSpace) {
    if (s.indexOf('%') < 0 && (!plusIsSpace || s.indexOf('+') < 0)) {
      checkAscii(s);
      return s;
    }
    byte[] bytes = new byte[s.length()];
    int length = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        int high = i + 1 < s.length() ? HttpChars.hexValue(s.charAt(i + 1)) : -1;
        int low = i + 2 < s.length() ? HttpChars.hexValue(s.charAt(i + 2)) : -1;
        if (high < 0 || low < 0) {
          throw new IllegalArgumentException("Malformed percent-encoding.");
        }
        bytes[length++] = (byte) (high << 4 | low);
        i += 2;
      } else if (c > 0x7f) {
        throw new IllegalArgumentException("Request target is not ASCII.");
      } else {
        bytes[length++] = (byte) (plusIsSpace && c == '+' ? ' ' : c);
      }
    }
    return utf8(bytes, length);
  }

  private static void checkAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0x7f) {
        throw new IllegalArgumentException("Request target is not ASCII.");
      }
    }
  }

  private static String utf8(byte[] bytes, int length) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, 0, length))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("Percent-encoded bytes are not UTF-8.", e);
    }
  }
}
