package dev.jchat.bench;

import java.nio.charset.StandardCharsets;

/** Chat-like ASCII text of an exact length, the same on every run. */
final class SampleText {
  private static final String WORDS =
      "the quick brown fox jumps over the lazy dog while the kettle boils and we wait ";

  private SampleText() {}

  static String ofLength(int chars) {
    StringBuilder text = new StringBuilder(chars);
    while (text.length() < chars) {
      text.append(WORDS, 0, Math.min(WORDS.length(), chars - text.length()));
    }
    return text.toString();
  }

  static byte[] utf8(int bytes) {
    return ofLength(bytes).getBytes(StandardCharsets.US_ASCII);
  }
}
