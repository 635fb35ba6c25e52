package dev.jchat.cli.bench;

import static dev.jchat.cli.bench.Rfc6455.B0_FLAG_FIN;
import static dev.jchat.cli.bench.Rfc6455.B0_MASK_OPCODE;
import static dev.jchat.cli.bench.Rfc6455.B0_MASK_RESERVED;
import static dev.jchat.cli.bench.Rfc6455.B1_FLAG_MASK;
import static dev.jchat.cli.bench.Rfc6455.B1_MASK_LENGTH;
import static dev.jchat.cli.bench.Rfc6455.CLOSE_MESSAGE_TOO_BIG;
import static dev.jchat.cli.bench.Rfc6455.CLOSE_NO_STATUS;
import static dev.jchat.cli.bench.Rfc6455.CLOSE_PROTOCOL_ERROR;
import static dev.jchat.cli.bench.Rfc6455.CLOSE_UNSUPPORTED_DATA;
import static dev.jchat.cli.bench.Rfc6455.OPCODE_BINARY;
import static dev.jchat.cli.bench.Rfc6455.OPCODE_CLOSE;
import static dev.jchat.cli.bench.Rfc6455.OPCODE_CONTINUATION;
import static dev.jchat.cli.bench.Rfc6455.OPCODE_FLAG_CONTROL;
import static dev.jchat.cli.bench.Rfc6455.OPCODE_PING;
import static dev.jchat.cli.bench.Rfc6455.OPCODE_PONG;
import static dev.jchat.cli.bench.Rfc6455.OPCODE_TEXT;
import static dev.jchat.cli.bench.Rfc6455.PAYLOAD_16;
import static dev.jchat.cli.bench.Rfc6455.PAYLOAD_SHORT_MAX;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns the bytes a server sends into text messages and control frames, as a state machine that
 * stops when the input runs out and resumes at any byte boundary when more arrives:
 *
 * <pre>
 *   FIRST_BYTE -> SECOND_BYTE -> [EXTENDED_LENGTH] -> PAYLOAD -> FIRST_BYTE ...
 *   a close frame ends in CLOSED, a protocol violation in FAILED
 * </pre>
 *
 * <p>Server frames are never masked, so there is no masking key to read. Every violation is a
 * {@link FrameException} carrying the close code it deserves, raised as soon as the offending bytes
 * have arrived: an oversized message at its frame header, before any of its payload is buffered.
 * Texts are not checked to be UTF-8: the bench reads only ASCII keys and digits from them.
 *
 * <p>A whole unfragmented text frame already in the input is copied once, into the array handed to
 * the listener; other messages are buffered, growing with the bytes that arrived.
 *
 * <p>Owned by the loop thread of its client; not thread-safe.
 */
final class ServerFrameDecoder {
  private static final int FIRST_BYTE = 0;
  private static final int SECOND_BYTE = 1;
  private static final int EXTENDED_LENGTH = 2;
  private static final int PAYLOAD = 3;
  private static final int CLOSED = 4;
  private static final int FAILED = 5;

  private final int maxMessageBytes;

  private int state = FIRST_BYTE;

  // The frame being read.
  private int opcode;
  private boolean fin;
  private int lengthBytesLeft;
  private long extendedLength;
  private int frameLength;
  private int frameRead;

  /** A control frame's payload while it arrives; null otherwise. */
  private byte[] control;

  /** The text message not complete yet, in {@code message[0, messageLength)}; null between. */
  private byte[] message;

  private int messageLength;

  /**
   * @param maxMessageBytes the largest message payload accepted, summed over its fragments
   */
  ServerFrameDecoder(int maxMessageBytes) {
    if (maxMessageBytes < 0) {
      throw new IllegalArgumentException("maxMessageBytes must not be negative.");
    }
    this.maxMessageBytes = maxMessageBytes;
  }

  /**
   * Consumes every byte remaining in {@code in} and calls the listener for each complete message or
   * control frame, in order. A partial frame at the end is kept and completed by later calls. After
   * a close frame, the rest of the input, now and later, is consumed and ignored.
   *
   * @throws FrameException if the server broke the protocol; the connection must be closed
   * @throws IllegalStateException if an earlier call threw {@code FrameException}
   */
  void decode(ByteBuffer in, ServerFrameListener listener) throws FrameException {
    if (state == FAILED) {
      throw new IllegalStateException("The decoder failed before; close the connection.");
    }
    try {
      readFrames(in, listener);
    } catch (FrameException e) {
      state = FAILED;
      message = null;
      control = null;
      throw e;
    }
    if (state == CLOSED) {
      in.position(in.limit());
    }
  }

  private void readFrames(ByteBuffer in, ServerFrameListener listener) throws FrameException {
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
      } else {
        readExtendedLength(in);
      }
    }
  }

  private void readFirstByte(int b) throws FrameException {
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
      throw new FrameException(CLOSE_UNSUPPORTED_DATA, "Binary messages are not supported.");
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

  private void readSecondByte(int b) throws FrameException {
    if ((b & B1_FLAG_MASK) != 0) {
      throw protocolError("Server frames must not be masked.");
    }
    int length = b & B1_MASK_LENGTH;
    if (length <= PAYLOAD_SHORT_MAX) {
      lengthKnown(length);
    } else if (isControl()) {
      throw protocolError("Control frame payload must not exceed 125 bytes.");
    } else {
      lengthBytesLeft = length == PAYLOAD_16 ? 2 : 8;
      extendedLength = 0;
      state = EXTENDED_LENGTH;
    }
  }

  private void readExtendedLength(ByteBuffer in) throws FrameException {
    while (lengthBytesLeft > 0 && in.hasRemaining()) {
      extendedLength = (extendedLength << 8) | (in.get() & 0xFF);
      lengthBytesLeft--;
    }
    if (lengthBytesLeft > 0) {
      return;
    }
    if (extendedLength < 0) {
      throw protocolError("Frame length must not have the most significant bit set.");
    }
    lengthKnown(extendedLength);
  }

  private void lengthKnown(long length) throws FrameException {
    if (opcode == OPCODE_CLOSE && length == 1) {
      throw protocolError("Close frame payload must not be 1 byte.");
    }
    // Written as a subtraction: a 64-bit length near the maximum would overflow a sum.
    if (!isControl() && length > maxMessageBytes - messageLength) {
      throw new FrameException(
          CLOSE_MESSAGE_TOO_BIG, "Message is longer than " + maxMessageBytes + " bytes.");
    }
    frameLength = (int) length;
    frameRead = 0;
    state = PAYLOAD;
  }

  /** Reads what is available of the payload; true once the frame is complete and handled. */
  private boolean readPayload(ByteBuffer in, ServerFrameListener listener) throws FrameException {
    if (isControl()) {
      return readControlPayload(in, listener);
    }
    if (message == null && fin && in.remaining() >= frameLength) {
      byte[] text = new byte[frameLength];
      in.get(text);
      state = FIRST_BYTE;
      listener.onText(text);
      return true;
    }
    return readMessagePayload(in, listener);
  }

  private boolean readMessagePayload(ByteBuffer in, ServerFrameListener listener) {
    if (message == null) {
      message = new byte[Math.min(frameLength, in.remaining())];
      messageLength = 0;
    }
    int n = Math.min(frameLength - frameRead, in.remaining());
    reserve(n);
    in.get(message, messageLength, n);
    messageLength += n;
    frameRead += n;
    if (frameRead < frameLength) {
      return false;
    }
    state = FIRST_BYTE;
    if (fin) {
      byte[] text =
          messageLength == message.length ? message : Arrays.copyOf(message, messageLength);
      message = null;
      messageLength = 0;
      listener.onText(text);
    }
    return true;
  }

  /** Makes room for {@code n} more bytes, growing with what arrived, never past what can come. */
  private void reserve(int n) {
    int needed = messageLength + n;
    if (needed <= message.length) {
      return;
    }
    int reachable = fin ? messageLength + frameLength - frameRead : maxMessageBytes;
    message = Arrays.copyOf(message, Math.min(reachable, Math.max(needed, 2 * message.length)));
  }

  private boolean readControlPayload(ByteBuffer in, ServerFrameListener listener)
      throws FrameException {
    if (control == null) {
      control = new byte[frameLength];
    }
    int n = Math.min(frameLength - frameRead, in.remaining());
    in.get(control, frameRead, n);
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

  private void deliverClose(byte[] payload, ServerFrameListener listener) throws FrameException {
    int code = CLOSE_NO_STATUS;
    String reason = "";
    if (payload.length > 0) {
      code = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
      if (!Rfc6455.isValidReceivedCloseCode(code)) {
        throw protocolError("Close code " + code + " is not allowed in a close frame.");
      }
      reason = new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
    }
    state = CLOSED;
    message = null;
    listener.onClose(code, reason);
  }

  private boolean isControl() {
    return (opcode & OPCODE_FLAG_CONTROL) != 0;
  }

  private static FrameException protocolError(String message) {
    return new FrameException(CLOSE_PROTOCOL_ERROR, message);
  }
}
