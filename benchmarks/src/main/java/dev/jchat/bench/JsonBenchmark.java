package dev.jchat.bench;

import com.fasterxml.jackson.databind.ObjectReader;
import dev.jchat.internal.json.Json;
import dev.jchat.internal.socket.ServerFrames;
import dev.jchat.internal.store.StoredMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * The JSON of the chat socket's hot path, with the server's one configured mapper ({@link
 * Json#MAPPER}): decoding a client {@code send} and encoding the {@code message} frame that fan-out
 * queues on every member.
 *
 * <p>The server decodes into its package-private {@code ClientFrame} record; {@link ClientFrame}
 * here has the same components in the same order with the same types, read through an {@link
 * ObjectReader} made once, as the server does. Encoding goes through the server's own {@link
 * ServerFrames#message}, so it includes the WebSocket header and the copy into the frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class JsonBenchmark {
  private static final ObjectReader READER = Json.reader(ClientFrame.class);

  /** Text length in characters: a short message, and the server's default maximum. */
  @Param({"64", "4000"})
  public int textChars;

  private byte[] sendFrame;
  private StoredMessage message;

  /** Field for field the server's {@code dev.jchat.internal.socket.ClientFrame}. */
  public record ClientFrame(
      String type,
      String token,
      String room,
      Long since,
      String text,
      String ref,
      Long before,
      Long after,
      Integer limit) {}

  @Setup
  public void setUp() throws IOException {
    String text = SampleText.ofLength(textChars);
    sendFrame =
        ("{\"type\":\"send\",\"room\":\"general\",\"text\":\"" + text + "\",\"ref\":\"c-17\"}")
            .getBytes(StandardCharsets.UTF_8);
    message = new StoredMessage("general", 58, "alice", text, 1_764_383_400_123L);
    ClientFrame decoded = decodeSend();
    if (!decoded.type().equals("send") || !decoded.text().equals(text)) {
      throw new IllegalStateException("decoded " + decoded);
    }
  }

  @Benchmark
  public ClientFrame decodeSend() throws IOException {
    return READER.readValue(sendFrame);
  }

  @Benchmark
  public byte[] encodeMessage() {
    return ServerFrames.message(message);
  }
}
