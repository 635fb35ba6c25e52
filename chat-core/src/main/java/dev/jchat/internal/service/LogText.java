package dev.jchat.internal.service;

/**
 * Makes client-chosen text safe to put in a log line: control characters (a CR or LF would forge a
 * log line of its own) and non-ASCII become escapes, and the length is bounded. Stateless.
 */
public final class LogText {
  private static final int MAX = 200;

  private LogText() {}

  /** {@code text} quoted, escaped and cut to a bounded length; {@code null} stays "null". */
  public static String quote(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX) + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      if (i == MAX) {
        out.append("...");
        break;
      }
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c > 0x7e) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
