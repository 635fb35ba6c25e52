package dev.jchat.internal.json;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.jchat.internal.store.StoredMessage;
import java.io.IOException;
import java.util.List;

/**
 * A message as every client sees it: the live {@code message} frame, the entries of {@code joined}
 * and {@code history}, and the REST message list all use this one shape, in the field order of
 * docs/protocol.md. Written with Jackson's streaming generator rather than data binding: every
 * delivery, ack and history page goes through here, and binding a record costs several times more
 * per message (docs/performance.md). Stateless.
 */
public final class MessageJson {
  private MessageJson() {}

  /** Writes {@code m} as one JSON object. */
  public static void write(JsonGenerator out, StoredMessage m) throws IOException {
    out.writeStartObject();
    out.writeStringField("type", "message");
    out.writeStringField("room", m.roomId());
    out.writeNumberField("seq", m.seq());
    out.writeStringField("from", m.from());
    out.writeStringField("text", m.text());
    out.writeNumberField("ts", m.ts());
    out.writeEndObject();
  }

  /** Writes {@code messages} as one JSON array, in their order. */
  public static void writeArray(JsonGenerator out, List<StoredMessage> messages)
      throws IOException {
    out.writeStartArray();
    for (StoredMessage m : messages) {
      write(out, m);
    }
    out.writeEndArray();
  }

  /** {@code {"messages":[...]}}, the REST message list. */
  public static byte[] list(List<StoredMessage> messages) {
    return Json.bytes(
        out -> {
          out.writeStartObject();
          out.writeFieldName("messages");
          writeArray(out, messages);
          out.writeEndObject();
        });
  }
}
