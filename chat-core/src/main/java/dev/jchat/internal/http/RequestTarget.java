package dev.jchat.internal.http;

/**
 * Reads the path and query out of a request target (RFC 9112 section 3.2): origin form {@code
 * /path?query}, absolute form {@code http://host/path?query} (its authority is ignored; Host still
 * has to be sent), and {@code *} for {@code OPTIONS} only. Checks that both percent-decode, so
 * later decoding cannot fail. Stateless; no instances.
 */
final class RequestTarget {
  private RequestTarget() {}

  /** Returns {@code {path, rawQuery}}; the query is empty when there is no {@code ?}. */
  static String[] pathAndQuery(String method, String target) throws HttpParseException {
    if (target.equals("*")) {
      if (!method.equals("OPTIONS")) {
        throw new HttpParseException(400, "Invalid request target.");
      }
      return new String[] {"*", ""};
    }
    String pathAndQuery = target.startsWith("/") ? target : absolutePathAndQuery(target);
    if (pathAndQuery.indexOf('#') >= 0) {
      throw new HttpParseException(400, "Invalid request target.");
    }
    int question = pathAndQuery.indexOf('?');
    String path = question < 0 ? pathAndQuery : pathAndQuery.substring(0, question);
    String query = question < 0 ? "" : pathAndQuery.substring(question + 1);
    try {
      PercentDecoder.decode(path, false);
      PercentDecoder.decode(query, true);
    } catch (IllegalArgumentException e) {
      throw new HttpParseException(400, "Malformed percent-encoding in request target.");
    }
    return new String[] {path, query};
  }

  /** The part after the authority of {@code http://host...}, starting with '/'. */
  private static String absolutePathAndQuery(String target) throws HttpParseException {
    int authority = schemeLength(target);
    if (authority < 0) {
      throw new HttpParseException(400, "Invalid request target.");
    }
    int end = authority;
    while (end < target.length() && "/?#".indexOf(target.charAt(end)) < 0) {
      end++;
    }
    if (end == authority) {
      throw new HttpParseException(400, "Invalid request target.");
    }
    String rest = target.substring(end);
    return rest.startsWith("/") ? rest : "/" + rest;
  }

  /** The length of {@code http://} or {@code https://} (any case) at the start, else -1. */
  private static int schemeLength(String target) {
    for (String scheme : new String[] {"http://", "https://"}) {
      if (target.regionMatches(true, 0, scheme, 0, scheme.length())) {
        return scheme.length();
      }
    }
    return -1;
  }
}
