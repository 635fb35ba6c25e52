package dev.jchat.internal.websocket;

import static dev.jchat.internal.websocket.WebSocketProtocol.B0_FLAG_FIN;
import static dev.jchat.internal.websocket.WebSocketProtocol.B0_MASK_OPCODE;
import static dev.jchat.internal.websocket.WebSocketProtocol.B0_MASK_RESERVED;
import static dev.jchat.internal.websocket.WebSocketProtocol.B1_FLAG_MASK;
import static dev.jchat.internal.websocket.WebSocketProtocol.B1_MASK_LENGTH;
import static dev.jchat.internal.websocket.WebSocketProtocol.CLOSE_INVALID_PAYLOAD;
import static dev.jchat.internal.websocket.WebSocketProtocol.CLOSE_MESSAGE_TOO_BIG;
import static dev.jchat.internal.websocket.WebSocketProtocol.CLOSE_NO_STATUS;
import static dev.jchat.internal.websocket.WebSocketProtocol.CLOSE_PROTOCOL_ERROR;
import static dev.jchat.internal.websocket.WebSocketProtocol.CLOSE_UNSUPPORTED_DATA;
import static dev.jchat.internal.websocket.WebSocketProtocol.OPCODE_BINARY;
import static dev.jchat.internal.websocket.WebSocketProtocol.OPCODE_CLOSE;
import static dev.jchat.internal.websocket.WebSocketProtocol.OPCODE_CONTINUATION;
import static dev.jchat.internal.websocket.WebSocketProtocol.OPCODE_FLAG_CONTROL;
import static dev.jchat.internal.websocket.WebSocketProtocol.OPCODE_PING;
import static dev.jchat.internal.websocket.WebSocketProtocol.OPCODE_PONG;
import static dev.jchat.internal.websocket.WebSocketProtocol.OPCODE_TEXT;
import static dev.jchat.internal.websocket.WebSocketProtocol.PAYLOAD_SHORT;
import static dev.jchat.internal.websocket.WebSocketProtocol.PAYLOAD_SHORT_MAX;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Turns the bytes of one connection into text messages and control frames, as a state machine that
 * stops when the input runs out and resumes at any byte boundary when more arrives:
 *
 * <pre>
 *   FIRST_BYTE -> SECOND_BYTE -> [EXTENDED_LENGTH] -> [MASK_KEY] -> PAYLOAD -> FIRST_BYTE ...
 *   a close frame ends in CLOSED, a protocol violation in FAILED
 * </pre>
 *
 * <p>Every violation is a {@link WebSocketException} carrying the close code to send, raised as
 * soon as the offending bytes have arrived: an oversized message at its frame header, before any of
 * its payload is buffered; invalid UTF-8 in the read that brings it, without waiting for the rest
 * of the frame or message. After one, the decoder is failed and the connection must be closed.
 *
 * <p>Memory: an idle decoder is a few fields and buffers nothing. A message is buffered only while
 * incomplete, by a {@link MessageAssembler} that grows with the bytes that actually arrived. A
 * whole unfragmented text frame already in the input skips it: it is unmasked straight into the
 * array handed to the listener.
 *
 * <p>Owned by one thread at a time, the connection's event loop; not thread-safe.
 */
public final class FrameDecoder {
  private static final int FIRST_BYTE = 0;
  private static final int SECOND_BYTE = 1;
  private static final int EXTENDED_LENGTH = 2;
  private static final int MASK_KEY = 3;
  private static final int PAYLOAD = 4;
  private static final int CLOSED = 5;
  private static final int FAILED = 6;

  private final int maxMessageBytes;
  private final boolean expectMasked;

  private int state = FIRST_BYTE;

  // The frame being read.
  private int opcode;
  private boolean fin;
  private boolean masked;

  /** Bytes still to come of the extended length or the masking key. */
  private int headerBytesLeft;

  /** Those bytes so far, big-endian. */
  private long headerValue;

  private int maskKey;
  private int frameLength;
  private int frameRead;

  /** A control frame's payload while it arrives; null otherwise. */
  private byte[] control;

  /** The text message not complete yet; null between messages. */
  private MessageAssembler message;

  /**
   * @param maxMessageBytes the largest message payload accepted, summed over its fragments
   * @param expectMasked true on the server, which requires every frame to be masked; false on a
   *     client, which requires none to be
   */
  public FrameDecoder(int maxMessageBytes, boolean expectMasked) {
    if (maxMessageBytes < 0) {
      throw new IllegalArgumentException("maxMessageBytes must not be negative.");
    }
    this.maxMessageBytes = maxMessageBytes;
    this.expectMasked = expectMasked;
  }

  /**
   * Consumes every byte remaining in {@code in}, advancing its position to its limit, and calls the
   * listener for each complete message or control frame, in order. A partial frame at the end is
   * kept and completed by later calls. After a close frame has been delivered, the rest of the
   * input, now and later, is consumed and ignored.
   *
   * @throws WebSocketException if the peer broke the protocol; what remains of {@code in} is then
   *     of no use, the connection must be closed
   * @throws IllegalStateException if an earlier call threw {@code WebSocketException}
   */
  public void decode(ByteBuffer in, FrameListener listener) throws WebSocketException {
    if (state == FAILED) {
      throw new IllegalStateException("The decoder failed before; close the connection.");
    }
    try {
      readFrames(in, listener);
    } catch (WebSocketException e) {
      state = FAILED;
      message = null;
      control = null;
      throw e;
    }
    if (state == CLOSED) {
      in.position(in.limit());
    }
  }

  /** Whether a close frame was received. */
  public boolean closed() {
    return state == CLOSED;
  }

  private void readFrames(ByteBuffer in, FrameListener listener) throws WebSocketException {
    while (state != CLOSED) {
      if (state == PAYLOAD) {
        // Runs even with no input left: an empty payload completes its frame right away.
        if (!readPayload(in, listener)) {
          return;
        }
      } else if (!in.hasRemaining()) {
        return;
      } else if (state == FIRST_BYTE) {
        readFirstByte(in.get() & 0xFF);
      } else if (state == SECOND_BYTE) {
        readSecondByte(in.get() & 0xFF);
      } else if (state == EXTENDED_LENGTH) {
        readExtendedLength(in);
      } else {
        readMaskKey(in);
      }
    }
  }

  private void readFirstByte(int b) throws WebSocketException {
    if ((b & B0_MASK_RESERVED) != 0) {
      throw protocolError("Reserved bits must not be set.");
    }
    fin = (b & B0_FLAG_FIN) != 0;
    opcode = b & B0_MASK_OPCODE;
    if (isControl()) {
      if (opcode > OPCODE_PONG) {
        throw protocolError(String.format("Reserved opcode 0x%X.", opcode));
      }
      if (!fin) {
        throw protocolError("Control frames must be final.");
      }
    } else if (opcode == OPCODE_BINARY) {
      throw new WebSocketException(CLOSE_UNSUPPORTED_DATA, "Binary messages are not supported.");
    } else if (opcode == OPCODE_TEXT) {
      if (message != null) {
        throw protocolError("Expected a continuation frame, got a new message.");
      }
    } else if (opcode == OPCODE_CONTINUATION) {
      if (message == null) {
        throw protocolError("Continuation frame without a message to continue.");
      }
    } else {
      throw protocolError(String.format("Reserved opcode 0x%X.", opcode));
    }
    state = SECOND_BYTE;
  }

  private void readSecondByte(int b) throws WebSocketException {
    masked = (b & B1_FLAG_MASK) != 0;
    if (masked != expectMasked) {
      throw protocolError(
          expectMasked ? "Client frames must be masked." : "Server frames must not be masked.");
    }
    int length = b & B1_MASK_LENGTH;
    if (length <= PAYLOAD_SHORT_MAX) {
      lengthKnown(length);
    } else if (isControl()) {
      throw protocolError("Control frame payload must not exceed 125 bytes.");
    } else {
      headerBytesLeft = length == PAYLOAD_SHORT ? 2 : 8;
      headerValue = 0;
      state = EXTENDED_LENGTH;
    }
  }

  private void readExtendedLength(ByteBuffer in) throws WebSocketException {
    if (!readHeaderBytes(in)) {
      return;
    }
    if (headerValue < 0) {
      throw protocolError("Frame length must not have the most significant bit set.");
    }
    lengthKnown(headerValue);
  }

  private void lengthKnown(long length) throws WebSocketException {
    if (opcode == OPCODE_CLOSE && length == 1) {
      throw protocolError("Close frame payload must not be 1 byte.");
    }
    // Written as a subtraction: a 64-bit length near the maximum would overflow a sum.
    if (!isControl() && length > maxMessageBytes - messageLength()) {
      throw new WebSocketException(
          CLOSE_MESSAGE_TOO_BIG, "Message is longer than " + maxMessageBytes + " bytes.");
    }
    frameLength = (int) length;
    frameRead = 0;
    if (masked) {
      headerBytesLeft = 4;
      headerValue = 0;
      state = MASK_KEY;
    } else {
      state = PAYLOAD;
    }
  }

  private void readMaskKey(ByteBuffer in) {
    if (readHeaderBytes(in)) {
      maskKey = (int) headerValue;
      state = PAYLOAD;
    }
  }

  /** Accumulates header bytes into {@link #headerValue}; true once all have arrived. */
  private boolean readHeaderBytes(ByteBuffer in) {
    while (headerBytesLeft > 0 && in.hasRemaining()) {
      headerValue = (headerValue << 8) | (in.get() & 0xFF);
      headerBytesLeft--;
    }
    return headerBytesLeft == 0;
  }

  /** Reads what is available of the payload; true once the frame is complete and handled. */
  private boolean readPayload(ByteBuffer in, FrameListener listener) throws WebSocketException {
    if (isControl()) {
      return readControlPayload(in, listener);
    }
    if (message == null && fin && in.remaining() >= frameLength) {
      readWholeMessage(in, listener);
      return true;
    }
    return readMessagePayload(in, listener);
  }

  /** The fast path: a whole unfragmented text frame, with no copy besides the one delivered. */
  private void readWholeMessage(ByteBuffer in, FrameListener listener) throws WebSocketException {
    byte[] text = new byte[frameLength];
    in.get(text);
    unmask(text, 0, frameLength);
    if (!Utf8Validator.isValid(text, 0, frameLength)) {
      throw invalidText();
    }
    state = FIRST_BYTE;
    listener.onText(text);
  }

  private boolean readMessagePayload(ByteBuffer in, FrameListener listener)
      throws WebSocketException {
    if (message == null) {
      message = new MessageAssembler();
    }
    int n = Math.min(frameLength - frameRead, in.remaining());
    if (n > 0) {
      int reachable = fin ? message.length() + frameLength - frameRead : maxMessageBytes;
      int at = message.reserve(n, reachable);
      in.get(message.array(), at, n);
      unmask(message.array(), at, n);
      if (!message.commit(n)) {
        throw invalidText();
      }
      frameRead += n;
    }
    if (frameRead < frameLength) {
      return false;
    }
    state = FIRST_BYTE;
    if (fin) {
      byte[] text = message.finish();
      if (text == null) {
        throw invalidText();
      }
      message = null;
      listener.onText(text);
    }
    return true;
  }

  private boolean readControlPayload(ByteBuffer in, FrameListener listener)
      throws WebSocketException {
    if (control == null) {
      control = new byte[frameLength];
    }
    int n = Math.min(frameLength - frameRead, in.remaining());
    in.get(control, frameRead, n);
    unmask(control, frameRead, n);
    frameRead += n;
    if (frameRead < frameLength) {
      return false;
    }
    byte[] payload = control;
    control = null;
    state = FIRST_BYTE;
    if (opcode == OPCODE_PING) {
      listener.onPing(payload);
    } else if (opcode == OPCODE_PONG) {
      listener.onPong(payload);
    } else {
      deliverClose(payload, listener);
    }
    return true;
  }

  private void deliverClose(byte[] payload, FrameListener listener) throws WebSocketException {
    int code = CLOSE_NO_STATUS;
    String reason = "";
    if (payload.length > 0) {
      code = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
      if (!WebSocketProtocol.isValidReceivedCloseCode(code)) {
        throw protocolError("Close code " + code + " is not allowed in a close frame.");
      }
      if (!Utf8Validator.isValid(payload, 2, payload.length - 2)) {
        throw new WebSocketException(CLOSE_INVALID_PAYLOAD, "Close reason is not valid UTF-8.");
      }
      reason = new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
    }
    state = CLOSED;
    message = null;
    listener.onClose(code, reason);
  }

  /** Unmasks bytes just copied from the current frame, which start at payload offset frameRead. */
  private void unmask(byte[] a, int from, int length) {
    if (masked) {
      WebSocketProtocol.toggleMask(a, from, length, maskKey, frameRead);
    }
  }

  private int messageLength() {
    return message == null ? 0 : message.length();
  }

  private boolean isControl() {
    return (opcode & OPCODE_FLAG_CONTROL) != 0;
  }

  private static WebSocketException protocolError(String message) {
    return new WebSocketException(CLOSE_PROTOCOL_ERROR, message);
  }

  private static WebSocketException invalidText() {
    return new WebSocketException(CLOSE_INVALID_PAYLOAD, "Text message is not valid UTF-8.");
  }
}
