package dev.jchat.cli.bench;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The status and headers of an HTTP/1.x answer, as the bench's clients read them (the upgrade and
 * the REST reads). Header names are lower-case; of a repeated header the last value counts.
 */
record ResponseHead(String status, Map<String, String> headers) {
  /**
   * Parses {@code head}, the answer up to (without) its blank line; null when it does not start
   * with an HTTP/1.x status line.
   */
  static ResponseHead parse(String head) {
    String[] lines = head.split("\r\n");
    String[] status = lines[0].split(" ", 3);
    if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
      return null;
    }
    Map<String, String> headers = new HashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    return new ResponseHead(status[1], headers);
  }

  /** The value of the header named {@code lowerCaseName}, or null. */
  String header(String lowerCaseName) {
    return headers.get(lowerCaseName);
  }
}
