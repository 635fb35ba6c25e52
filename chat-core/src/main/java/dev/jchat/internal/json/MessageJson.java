package dev.jchat.internal.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.jchat.internal.store.EncodedPage;
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
  // Names and the type, encoded once: as strings, Jackson encodes and escapes them every time,
  // seven times per message of every page.
  private static final SerializedString TYPE = new SerializedString("type");
  private static final SerializedString MESSAGE = new SerializedString("message");
  private static final SerializedString ROOM = new SerializedString("room");
  private static final SerializedString SEQ = new SerializedString("seq");
  private static final SerializedString FROM = new SerializedString("from");
  private static final SerializedString TEXT = new SerializedString("text");
  private static final SerializedString TS = new SerializedString("ts");

  private MessageJson() {}

  /** Writes {@code m} as one JSON object. */
  public static void write(JsonGenerator out, StoredMessage m) throws IOException {
    out.writeStartObject();
    out.writeFieldName(TYPE);
    out.writeString(MESSAGE);
    out.writeFieldName(ROOM);
    out.writeString(m.roomId());
    out.writeFieldName(SEQ);
    out.writeNumber(m.seq());
    out.writeFieldName(FROM);
    out.writeString(m.from());
    out.writeFieldName(TEXT);
    out.writeString(m.text());
    out.writeFieldName(TS);
    out.writeNumber(m.ts());
    out.writeEndObject();
  }

  /** {@code m} as the UTF-8 bytes of one JSON object, as {@link #write} writes it. */
  public static byte[] bytes(StoredMessage m) {
    return Json.bytes(out -> write(out, m));
  }

  /**
   * Writes {@code messages} as one JSON array, in their order; the messages of an {@link
   * EncodedPage} as the bytes it holds, which {@link #bytes} made.
   */
  public static void writeArray(JsonGenerator out, List<StoredMessage> messages)
      throws IOException {
    out.writeStartArray();
    if (messages instanceof EncodedPage page) {
      for (int i = 0; i < page.size(); i++) {
        out.writeRawValue(new RawJson(page.json(i)));
      }
    } else {
      for (StoredMessage m : messages) {
        write(out, m);
      }
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
