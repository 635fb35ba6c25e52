package dev.jchat.internal.http;

/**
 * The byte classes of RFC 9110 section 5.6 that the parser and encoder check against. Bytes are
 * passed as unsigned ints (0 to 255). No instances.
 */
final class HttpChars {
  private static final String TCHAR_SYMBOLS = "!#$%&'*+-.^_`|~";
  private static final boolean[] TCHAR = new boolean[128];

  static {
    for (int c = '0'; c <= '9'; c++) {
      TCHAR[c] = true;
    }
    for (int c = 'a'; c <= 'z'; c++) {
      TCHAR[c] = true;
      TCHAR[c - 'a' + 'A'] = true;
    }
    for (int i = 0; i < TCHAR_SYMBOLS.length(); i++) {
      TCHAR[TCHAR_SYMBOLS.charAt(i)] = true;
    }
  }

  private HttpChars() {}

  /** A byte of a token: methods, header names, transfer codings. */
  static boolean isTchar(int b) {
    return b < 128 && TCHAR[b];
  }

  /** Visible US-ASCII, what a request target and version are made of. */
  static boolean isVchar(int b) {
    return b > 0x20 && b < 0x7f;
  }

  /** Allowed in a field value: visible characters, obs-text, space and tab; no other controls. */
  static boolean isFieldValueByte(int b) {
    return b == '\t' || (b >= 0x20 && b != 0x7f && b <= 0xff);
  }

  /** Optional whitespace around field values and list elements. */
  static boolean isOws(int b) {
    return b == ' ' || b == '\t';
  }

  /** The value of a hex digit, or -1 for any other byte. */
  static int hexValue(int b) {
    if (b >= '0' && b <= '9') {
      return b - '0';
    }
    if (b >= 'a' && b <= 'f') {
      return b - 'a' + 10;
    }
    if (b >= 'A' && b <= 'F') {
      return b - 'A' + 10;
    }
    return -1;
  }

  static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!isTchar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  static boolean isFieldValue(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (!isFieldValueByte(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
