package dev.jchat.internal.http;

import java.util.List;

/**
 * Decides how a request's body is delimited (RFC 9112 section 6.3) and refuses every framing two
 * parties could read differently, which is how request smuggling starts: Content-Length together
 * with Transfer-Encoding, differing Content-Length values, Transfer-Encoding in HTTP/1.0.
 * Stateless; no instances.
 */
final class MessageFraming {
  /** {@link #bodyLength} for a chunked body. */
  static final long CHUNKED = -1;

  private MessageFraming() {}

  /**
   * The body's length in bytes, 0 when the request declares none, or {@link #CHUNKED}.
   *
   * @throws HttpParseException 400 for ambiguous or malformed framing, 413 for a declared length
   *     over {@code maxBodyBytes}, 501 for a transfer coding other than chunked
   */
  static long bodyLength(RequestHead head, int maxBodyBytes) throws HttpParseException {
    List<String> transferEncodings = head.headers().all("Transfer-Encoding");
    List<String> contentLengths = head.headers().all("Content-Length");
    if (!transferEncodings.isEmpty() && !contentLengths.isEmpty()) {
      throw new HttpParseException(400, "Both Content-Length and Transfer-Encoding are present.");
    }
    if (!transferEncodings.isEmpty()) {
      checkChunked(head.version(), transferEncodings);
      return CHUNKED;
    }
    if (!contentLengths.isEmpty()) {
      return contentLength(contentLengths, maxBodyBytes);
    }
    return 0;
  }

  static HttpParseException bodyTooLarge(int maxBodyBytes) {
    return new HttpParseException(413, "Request body is larger than " + maxBodyBytes + " bytes.");
  }

  private static void checkChunked(String version, List<String> values) throws HttpParseException {
    if (version.equals("HTTP/1.0")) {
      throw new HttpParseException(400, "Transfer-Encoding in an HTTP/1.0 request.");
    }
    int chunked = 0;
    for (String value : values) {
      for (String coding : HttpHeaders.elements(value)) {
        if (!coding.equalsIgnoreCase("chunked")) {
          throw new HttpParseException(501, "Unsupported transfer coding.");
        }
        chunked++;
      }
    }
    if (chunked != 1) {
      throw new HttpParseException(400, "Transfer-Encoding must be chunked, once.");
    }
  }

  /**
   * One length, possibly repeated in several fields or as a list ({@code 5, 5}), which RFC 9110
   * section 8.6 allows as long as every copy is the same number.
   */
  private static long contentLength(List<String> values, int maxBodyBytes)
      throws HttpParseException {
    String digits = null;
    for (String value : values) {
      List<String> elements = HttpHeaders.elements(value);
      if (elements.isEmpty()) {
        throw new HttpParseException(400, "Invalid Content-Length.");
      }
      for (String element : elements) {
        String number = withoutLeadingZeros(element);
        if (digits != null && !digits.equals(number)) {
          throw new HttpParseException(400, "Conflicting Content-Length values.");
        }
        digits = number;
      }
    }
    // Past 10 digits the number is over any int limit; checking first avoids overflow.
    if (digits.length() > 10 || Long.parseLong(digits) > maxBodyBytes) {
      throw bodyTooLarge(maxBodyBytes);
    }
    return Long.parseLong(digits);
  }

  private static String withoutLeadingZeros(String element) throws HttpParseException {
    for (int i = 0; i < element.length(); i++) {
      char c = element.charAt(i);
      if (c < '0' || c > '9') {
        throw new HttpParseException(400, "Invalid Content-Length.");
      }
    }
    int start = 0;
    while (start < element.length() - 1 && element.charAt(start) == '0') {
      start++;
    }
    return element.substring(start);
  }
}
