package dev.jchat.internal.http;

import java.nio.charset.StandardCharsets;

/**
 * Parses a complete head, as {@link HeadScanner} delimits it, into a {@link RequestHead} (RFC 9112
 * sections 3 and 5). Strict where leniency invites smuggling or ambiguity: a request line is
 * exactly three parts separated by single spaces, a header name is followed directly by its colon,
 * and obsolete line folding is refused. Lines may end in CRLF or a bare LF. Stateless; no
 * instances.
 */
final class HeadParser {
  private HeadParser() {}

  /** Parses {@code head}: the request line through the empty line that ends the header section. */
  static RequestHead parse(byte[] head) throws HttpParseException {
    int lf = indexOf(head, '\n', 0, head.length);
    String[] requestLine = requestLine(head, 0, contentEnd(head, 0, lf));
    String method = requestLine[0];
    String target = requestLine[1];
    String version = requestLine[2];
    HttpHeaders headers = new HttpHeaders();
    for (int start = lf + 1; ; start = lf + 1) {
      lf = indexOf(head, '\n', start, head.length);
      int end = contentEnd(head, start, lf);
      if (end == start) {
        break;
      }
      headerField(head, start, end, headers);
    }
    checkHost(version, headers);
    String[] pathAndQuery = RequestTarget.pathAndQuery(method, target);
    return new RequestHead(method, target, pathAndQuery[0], pathAndQuery[1], version, headers);
  }

  /** Splits {@code method SP target SP version}, checking each part's bytes. */
  private static String[] requestLine(byte[] head, int start, int end) throws HttpParseException {
    int space1 = indexOf(head, ' ', start, end);
    int space2 = space1 < 0 ? -1 : indexOf(head, ' ', space1 + 1, end);
    if (space2 < 0
        || !all(head, start, space1, true)
        || !all(head, space1 + 1, space2, false)
        || !all(head, space2 + 1, end, false)) {
      throw new HttpParseException(400, "Malformed request line.");
    }
    String version = latin1(head, space2 + 1, end);
    if (!isVersionSyntax(version)) {
      throw new HttpParseException(400, "Malformed request line.");
    }
    if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
      throw new HttpParseException(505, "HTTP version not supported.");
    }
    return new String[] {latin1(head, start, space1), latin1(head, space1 + 1, space2), version};
  }

  /** {@code HTTP/} digit {@code .} digit; the name is case-sensitive. */
  private static boolean isVersionSyntax(String version) {
    return version.length() == 8
        && version.startsWith("HTTP/")
        && Character.isDigit(version.charAt(5))
        && version.charAt(6) == '.'
        && Character.isDigit(version.charAt(7));
  }

  /** Whether {@code [from, to)} is non-empty and all token bytes, or all visible ASCII. */
  private static boolean all(byte[] head, int from, int to, boolean token) {
    if (from >= to) {
      return false;
    }
    for (int i = from; i < to; i++) {
      int b = head[i] & 0xff;
      if (token ? !HttpChars.isTchar(b) : !HttpChars.isVchar(b)) {
        return false;
      }
    }
    return true;
  }

  private static void headerField(byte[] head, int start, int end, HttpHeaders headers)
      throws HttpParseException {
    if (HttpChars.isOws(head[start])) {
      throw new HttpParseException(
          400, "Header line starts with whitespace (obsolete line folding).");
    }
    int colon = indexOf(head, ':', start, end);
    if (colon < 0) {
      throw new HttpParseException(400, "Header line has no colon.");
    }
    if (colon > start && HttpChars.isOws(head[colon - 1])) {
      throw new HttpParseException(400, "Whitespace between header name and colon.");
    }
    if (!all(head, start, colon, true)) {
      throw new HttpParseException(400, "Invalid header name.");
    }
    int from = colon + 1;
    int to = end;
    while (from < to && HttpChars.isOws(head[from])) {
      from++;
    }
    while (to > from && HttpChars.isOws(head[to - 1])) {
      to--;
    }
    for (int i = from; i < to; i++) {
      if (!HttpChars.isFieldValueByte(head[i] & 0xff)) {
        throw new HttpParseException(400, "Invalid character in header value.");
      }
    }
    headers.add(latin1(head, start, colon), latin1(head, from, to));
  }

  /** RFC 9112 section 3.2: HTTP/1.1 requires exactly one Host; 1.0 allows at most one. */
  private static void checkHost(String version, HttpHeaders headers) throws HttpParseException {
    int hosts = headers.all("Host").size();
    if (hosts == 0 && version.equals("HTTP/1.1")) {
      throw new HttpParseException(400, "Missing Host header.");
    }
    if (hosts > 1) {
      throw new HttpParseException(400, "More than one Host header.");
    }
  }

  /** The end of a line's content: {@code lf}, or one before it when a CR precedes it. */
  private static int contentEnd(byte[] head, int start, int lf) {
    return lf > start && head[lf - 1] == '\r' ? lf - 1 : lf;
  }

  private static int indexOf(byte[] bytes, char c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == c) {
        return i;
      }
    }
    return -1;
  }

  private static String latin1(byte[] bytes, int from, int to) {
    return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
  }
}
