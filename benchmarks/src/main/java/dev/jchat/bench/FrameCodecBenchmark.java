package dev.jchat.bench;

import dev.jchat.internal.websocket.FrameDecoder;
import dev.jchat.internal.websocket.FrameEncoder;
import dev.jchat.internal.websocket.FrameListener;
import dev.jchat.internal.websocket.WebSocketException;
import dev.jchat.internal.websocket.WebSocketProtocol;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One whole text frame through the RFC 6455 codec, with no socket: decoding a masked frame (what
 * the server reads from a client) and an unmasked one (what a client reads from the server), and
 * encoding both. The payload is ASCII chat text, so UTF-8 validation is on its common path.
 *
 * <p>A decode hands the whole frame to one long-lived decoder, as a read that brought the frame in
 * one piece would; it includes unmasking, UTF-8 validation and the copy delivered to the listener.
 * An encode builds the complete frame array, header and payload.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class FrameCodecBenchmark {
  private static final int MASK_KEY = 0x5a3c_91e7;

  /** Payload bytes: a short chat message, and the largest message the server accepts. */
  @Param({"64", "65536"})
  public int payloadBytes;

  private byte[] payload;
  private ByteBuffer maskedFrame;
  private ByteBuffer unmaskedFrame;
  private FrameDecoder serverDecoder;
  private FrameDecoder clientDecoder;
  private final LastText received = new LastText();

  @Setup
  public void setUp() throws WebSocketException {
    payload = SampleText.utf8(payloadBytes);
    maskedFrame = ByteBuffer.wrap(masked(payload));
    unmaskedFrame = ByteBuffer.wrap(FrameEncoder.text(payload));
    serverDecoder = new FrameDecoder(payloadBytes, true);
    clientDecoder = new FrameDecoder(payloadBytes, false);
    check(decodeMasked());
    check(decodeUnmasked());
  }

  @Benchmark
  public byte[] decodeMasked() throws WebSocketException {
    maskedFrame.clear();
    serverDecoder.decode(maskedFrame, received);
    return received.take();
  }

  @Benchmark
  public byte[] decodeUnmasked() throws WebSocketException {
    unmaskedFrame.clear();
    clientDecoder.decode(unmaskedFrame, received);
    return received.take();
  }

  @Benchmark
  public byte[] encodeUnmasked() {
    return FrameEncoder.text(payload);
  }

  @Benchmark
  public byte[] encodeMasked() {
    return masked(payload);
  }

  private static byte[] masked(byte[] payload) {
    return FrameEncoder.maskedFrame(
        WebSocketProtocol.OPCODE_TEXT, true, payload, 0, payload.length, MASK_KEY);
  }

  private void check(byte[] decoded) {
    if (!Arrays.equals(decoded, payload)) {
      throw new IllegalStateException("the decoder did not return the payload");
    }
  }

  /** Keeps the last text message; any other frame is a mistake in the benchmark. */
  private static final class LastText implements FrameListener {
    private byte[] text;

    byte[] take() {
      byte[] t = text;
      text = null;
      return t;
    }

    @Override
    public void onText(byte[] utf8) {
      text = utf8;
    }

    @Override
    public void onPing(byte[] payload) {
      throw new IllegalStateException("unexpected ping");
    }

    @Override
    public void onPong(byte[] payload) {
      throw new IllegalStateException("unexpected pong");
    }

    @Override
    public void onClose(int code, String reason) {
      throw new IllegalStateException("unexpected close");
    }
  }
}
