package dev.jchat.internal.websocket;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Records what a decoder delivers as readable lines: "text Hello", "ping 01ff", "close 1000 bye". A
 * long text is recorded by its length and checksum, see {@link #text}.
 */
final class FrameRecorder implements FrameListener {
  /** Texts longer than this are summarized, which keeps failure reports readable. */
  private static final int LONG_TEXT = 200;

  final List<String> events = new ArrayList<>();

  /** The line a text message is recorded as. */
  static String text(String text) {
    return text(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(byte[] utf8) {
    if (utf8.length <= LONG_TEXT) {
      return "text " + new String(utf8, StandardCharsets.UTF_8);
    }
    CRC32 crc = new CRC32();
    crc.update(utf8);
    return "text of " + utf8.length + " bytes, crc32 " + Long.toHexString(crc.getValue());
  }

  @Override
  public void onText(byte[] utf8) {
    events.add(text(utf8));
  }

  @Override
  public void onPing(byte[] payload) {
    events.add("ping " + HexFormat.of().formatHex(payload));
  }

  @Override
  public void onPong(byte[] payload) {
    events.add("pong " + HexFormat.of().formatHex(payload));
  }

  @Override
  public void onClose(int code, String reason) {
    events.add("close " + code + " " + reason);
  }
}
