package dev.jchat.internal.http;

import java.nio.ByteBuffer;

/**
 * Finds where a request's head (request line and header section) ends, looking at each byte once
 * however the head is split across reads: it remembers how far it has looked, relative to the
 * buffer's position, which the caller leaves on the first byte of the request until the head is
 * complete. Empty lines before the request line are skipped (RFC 9112 section 2.2) but count toward
 * the limit. Owned by one {@link HttpRequestParser}; holds no buffers.
 */
final class HeadScanner {
  private final int maxHeadBytes;

  /** Bytes after the position already looked at. */
  private int scanned;

  /** Offset of the line being scanned. */
  private int lineStart;

  /** Offset of the request line, past any leading empty lines; -1 until it has begun. */
  private int requestLineStart = -1;

  HeadScanner(int maxHeadBytes) {
    this.maxHeadBytes = maxHeadBytes;
  }

  /**
   * Looks at the bytes that arrived since the last call.
   *
   * @return the head's length from the position through its final empty line (leading empty lines
   *     included), or -1 when that line has not arrived yet
   * @throws HttpParseException 431 as soon as {@code maxHeadBytes} bytes have arrived without the
   *     head ending
   */
  int scan(ByteBuffer in) throws HttpParseException {
    int base = in.position();
    int end = Math.min(in.remaining(), maxHeadBytes);
    for (int i = scanned; i < end; i++) {
      if (in.get(base + i) != '\n') {
        continue;
      }
      boolean empty = i == lineStart || (i == lineStart + 1 && in.get(base + lineStart) == '\r');
      if (empty && requestLineStart >= 0) {
        return i + 1;
      }
      if (requestLineStart < 0 && !empty) {
        requestLineStart = lineStart;
      }
      lineStart = i + 1;
    }
    scanned = end;
    if (scanned == maxHeadBytes) {
      throw new HttpParseException(
          431, "Request header section is larger than " + maxHeadBytes + " bytes.");
    }
    return -1;
  }

  /** Where the request line starts, past leading empty lines; valid once the head is found. */
  int requestLineStart() {
    return requestLineStart;
  }

  void reset() {
    scanned = 0;
    lineStart = 0;
    requestLineStart = -1;
  }
}
