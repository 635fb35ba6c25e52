package dev.jchat.internal.http;

import java.nio.ByteBuffer;

/**
 * Parses HTTP/1.1 requests out of a connection's incoming bytes, one at a time, resuming at any
 * byte boundary. Owned by the connection's event loop thread; not thread-safe.
 *
 * <p>How the caller feeds it: read into a buffer, flip, call {@link #parse} until it returns null,
 * then compact, so the bytes from the position to the limit stay in order, ahead of the next read.
 * The parser never reads past the end of the current request, so pipelined requests wait in the
 * buffer for the next call.
 *
 * <ul>
 *   <li>While the head (request line and header section) is incomplete the position does not move;
 *       the parser remembers how far it has scanned, so a head arriving byte by byte is still
 *       scanned once. The caller's buffer must be able to hold {@code maxHeaderBytes}.
 *   <li>Once the head is complete the parser takes it, and then the body's bytes as they arrive
 *       (Content-Length or chunked), into its own state. The caller's buffer never has to hold a
 *       body.
 *   <li>When a request is complete, the position is just past its last byte.
 * </ul>
 *
 * <p>Limits: a head (empty lines before the request line included) over {@code maxHeaderBytes} is
 * refused with 431 as soon as that many bytes have arrived without its end. A request line that
 * alone exceeds it also gets 431, not 414: the limit is on the head as a whole. A body over {@code
 * maxBodyBytes} is refused with 413 as soon as its declared Content-Length or a chunk size says so.
 * Trailers are held to {@code maxHeaderBytes} too (431), and so is a chunk size line (400). Memory
 * is bounded by the two limits; the body grows with the bytes received.
 *
 * <p>After {@link HttpParseException} the stream cannot be resynchronized: answer with its status
 * and close the connection.
 */
public final class HttpRequestParser {
  private final int maxHeaderBytes;
  private final int maxBodyBytes;
  private final HeadScanner scanner;

  /** Non-null once the head is parsed and its body is being read. */
  private RequestHead head;

  /** Non-null for a chunked body. */
  private ChunkedBodyDecoder chunked;

  /** For a Content-Length body: the bytes so far and how many are still to come. */
  private BodyBuffer fixedBody;

  private long fixedRemaining;

  /** Product defaults are 16 KiB and 1 MiB (docs/protocol.md). */
  public HttpRequestParser(int maxHeaderBytes, int maxBodyBytes) {
    if (maxHeaderBytes <= 0 || maxBodyBytes < 0) {
      throw new IllegalArgumentException("Head limit must be positive, body limit not negative.");
    }
    this.maxHeaderBytes = maxHeaderBytes;
    this.maxBodyBytes = maxBodyBytes;
    this.scanner = new HeadScanner(maxHeaderBytes);
  }

  /**
   * Parses from {@code in}'s position to its limit.
   *
   * @return the complete request, with the position just past it; or null when more bytes are
   *     needed, with the position past only what the parser has taken (see the class comment)
   * @throws HttpParseException for malformed or oversized input, with the status to answer
   */
  public HttpRequest parse(ByteBuffer in) throws HttpParseException {
    if (head == null && !readHead(in)) {
      return null;
    }
    byte[] body = chunked != null ? chunked.decode(in) : readFixedBody(in);
    if (body == null) {
      return null;
    }
    HttpRequest request = head.withBody(body);
    reset();
    return request;
  }

  /**
   * A buffer capacity with which the next {@link #parse} call can always make progress: the head
   * limit, since a head (or a chunk line) must fit whole and bodies never need to. Grow the buffer
   * to this when it is full and {@code parse} returned null.
   */
  public int bytesNeededHint() {
    return maxHeaderBytes;
  }

  /** Forgets any partial request; the parser then holds no buffers. */
  public void reset() {
    scanner.reset();
    head = null;
    chunked = null;
    fixedBody = null;
    fixedRemaining = 0;
  }

  private boolean readHead(ByteBuffer in) throws HttpParseException {
    int length = scanner.scan(in);
    if (length < 0) {
      return false;
    }
    int start = scanner.requestLineStart();
    byte[] bytes = new byte[length - start];
    in.get(in.position() + start, bytes);
    RequestHead parsed = HeadParser.parse(bytes);
    long bodyLength = MessageFraming.bodyLength(parsed, maxBodyBytes);
    in.position(in.position() + length);
    scanner.reset();
    head = parsed;
    if (bodyLength == MessageFraming.CHUNKED) {
      chunked = new ChunkedBodyDecoder(maxHeaderBytes, maxBodyBytes);
    } else {
      fixedBody = new BodyBuffer((int) bodyLength);
      fixedRemaining = bodyLength;
    }
    return true;
  }

  private byte[] readFixedBody(ByteBuffer in) {
    int count = (int) Math.min(fixedRemaining, in.remaining());
    if (count > 0) {
      fixedBody.append(in, count);
      fixedRemaining -= count;
    }
    return fixedRemaining == 0 ? fixedBody.toByteArray() : null;
  }
}
