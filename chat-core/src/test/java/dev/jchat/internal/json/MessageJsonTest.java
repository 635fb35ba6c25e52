package dev.jchat.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jchat.internal.store.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The message shape, byte for byte: the field order of docs/protocol.md, escapes, UTF-8. */
class MessageJsonTest {
  @Test
  void aMessageIsWrittenInTheProtocolsFieldOrderWithItsTextEscaped() {
    StoredMessage m =
        new StoredMessage(
            "general", 42, "al\"ice", "line\nnext \\ ✓ \u0001 😀", 1_700_000_000_123L);
    String json = new String(MessageJson.list(List.of(m, m)), StandardCharsets.UTF_8);
    String one =
        "{\"type\":\"message\",\"room\":\"general\",\"seq\":42,\"from\":\"al\\\"ice\","
            // a character beyond the BMP as its escaped surrogate pair, as Jackson writes it
            + "\"text\":\"line\\nnext \\\\ ✓ \\u0001 \\uD83D\\uDE00\",\"ts\":1700000000123}";
    assertEquals("{\"messages\":[" + one + "," + one + "]}", json);
  }

  @Test
  void anEmptyListIsAnEmptyArray() {
    assertEquals(
        "{\"messages\":[]}", new String(MessageJson.list(List.of()), StandardCharsets.UTF_8));
  }
}
