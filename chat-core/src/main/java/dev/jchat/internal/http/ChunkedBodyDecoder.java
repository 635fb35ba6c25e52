package dev.jchat.internal.http;

import java.nio.ByteBuffer;

/**
 * Decodes a chunked body (RFC 9112 section 7.1) incrementally, taking the bytes it has decoded out
 * of the caller's buffer as they arrive, so that buffer never has to hold the body. It stops at any
 * byte boundary and leaves an incomplete line in the buffer until its end arrives. Chunk extensions
 * and trailer fields are read and dropped. Owned by the parser of one connection.
 *
 * <pre>
 *   SIZE_LINE  1a;ext=1 CRLF     hex size, optional extensions
 *   DATA       (0x1a bytes)
 *   DATA_END   CRLF              then SIZE_LINE again, or after size 0:
 *   TRAILER    name: value CRLF  any number, then an empty line
 * </pre>
 */
final class ChunkedBodyDecoder {
  private enum State {
    SIZE_LINE,
    DATA,
    DATA_END,
    TRAILER,
    DONE
  }

  /** Bounds a size line and, separately, the whole trailer section. */
  private final int maxLineBytes;

  private final int maxBodyBytes;
  private final BodyBuffer body;
  private State state = State.SIZE_LINE;
  private long chunkRemaining;

  /** Bytes of the current, incomplete line already looked at. */
  private int lineScanned;

  private int trailerBytes;

  ChunkedBodyDecoder(int maxLineBytes, int maxBodyBytes) {
    this.maxLineBytes = maxLineBytes;
    this.maxBodyBytes = maxBodyBytes;
    this.body = new BodyBuffer(maxBodyBytes);
  }

  /** Decodes what {@code in} holds; returns the body once the trailer has ended, else null. */
  byte[] decode(ByteBuffer in) throws HttpParseException {
    while (state != State.DONE) {
      boolean progressed =
          switch (state) {
            case SIZE_LINE -> readSizeLine(in);
            case DATA -> readData(in);
            case DATA_END -> readDataEnd(in);
            case TRAILER -> readTrailerLine(in);
            case DONE -> true;
          };
      if (!progressed) {
        return null;
      }
    }
    return body.toByteArray();
  }

  private boolean readSizeLine(ByteBuffer in) throws HttpParseException {
    int length = nextLine(in, maxLineBytes);
    if (length < 0) {
      if (lineScanned == maxLineBytes) {
        throw new HttpParseException(400, "Chunk size line is too long.");
      }
      return false;
    }
    int start = in.position();
    int end = contentEnd(in, start, start + length - 1);
    long size = 0;
    int i = start;
    for (int digit; i < end && (digit = HttpChars.hexValue(in.get(i) & 0xff)) >= 0; i++) {
      // Saturate just past the limit: any larger size is refused the same way.
      size = Math.min(size * 16 + digit, maxBodyBytes + 1L);
    }
    if (i == start || !isExtensions(in, i, end)) {
      throw new HttpParseException(400, "Invalid chunk size.");
    }
    if (body.size() + size > maxBodyBytes) {
      throw MessageFraming.bodyTooLarge(maxBodyBytes);
    }
    in.position(start + length);
    chunkRemaining = size;
    state = size == 0 ? State.TRAILER : State.DATA;
    return true;
  }

  /** Nothing, or optional whitespace, then {@code ;} and extensions free of control bytes. */
  private static boolean isExtensions(ByteBuffer in, int from, int end) {
    while (from < end && HttpChars.isOws(in.get(from))) {
      from++;
    }
    if (from < end && in.get(from) != ';') {
      return false;
    }
    for (int i = from; i < end; i++) {
      if (!HttpChars.isFieldValueByte(in.get(i) & 0xff)) {
        return false;
      }
    }
    return true;
  }

  private boolean readData(ByteBuffer in) {
    if (!in.hasRemaining()) {
      return false;
    }
    int count = (int) Math.min(chunkRemaining, in.remaining());
    body.append(in, count);
    chunkRemaining -= count;
    if (chunkRemaining == 0) {
      state = State.DATA_END;
    }
    return true;
  }

  /** The CRLF (or bare LF) after a chunk's data. */
  private boolean readDataEnd(ByteBuffer in) throws HttpParseException {
    int available = in.remaining();
    int p = in.position();
    if (available == 0 || (available == 1 && in.get(p) == '\r')) {
      return false;
    }
    int length = in.get(p) == '\n' ? 1 : in.get(p) == '\r' && in.get(p + 1) == '\n' ? 2 : 0;
    if (length == 0) {
      throw new HttpParseException(400, "Missing CRLF after chunk data.");
    }
    in.position(p + length);
    state = State.SIZE_LINE;
    return true;
  }

  private boolean readTrailerLine(ByteBuffer in) throws HttpParseException {
    int budget = maxLineBytes - trailerBytes;
    int length = nextLine(in, budget);
    if (length < 0) {
      if (lineScanned == budget) {
        throw new HttpParseException(
            431, "Trailer section is larger than " + maxLineBytes + " bytes.");
      }
      return false;
    }
    int start = in.position();
    trailerBytes += length;
    in.position(start + length);
    if (contentEnd(in, start, start + length - 1) == start) {
      state = State.DONE;
    }
    return true;
  }

  /**
   * The length through the LF of the line at the position, or -1 when the LF is not among the first
   * {@code budget} bytes that have arrived. Resumes where the last call stopped looking.
   */
  private int nextLine(ByteBuffer in, int budget) {
    int end = Math.min(in.remaining(), budget);
    for (int i = lineScanned; i < end; i++) {
      if (in.get(in.position() + i) == '\n') {
        lineScanned = 0;
        return i + 1;
      }
    }
    lineScanned = end;
    return -1;
  }

  private static int contentEnd(ByteBuffer in, int start, int lf) {
    return lf > start && in.get(lf - 1) == '\r' ? lf - 1 : lf;
  }
}
