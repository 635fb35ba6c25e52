package dev.jchat.cli.client;

import dev.jchat.ChatMessage;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Turns what happens in the chat into lines for the terminal: {@code 14:05 alice: hello}, with the
 * room in brackets when it is not the current one. With colour on, each sender has a stable colour
 * (from the user id, so the same in every run) and notices and errors stand out; with colour off
 * the lines hold no escape sequences at all. Text from the network is made harmless: control
 * characters show as {@code ^X} instead of steering the terminal. Immutable and thread-safe.
 */
final class Renderer {
  private static final String RESET = "\u001b[0m";
  private static final String DIM = "\u001b[2m";
  private static final String BOLD = "\u001b[1m";
  private static final String RED = "\u001b[31m";
  private static final int[] SENDER_COLOURS = {32, 33, 34, 35, 36, 92, 93, 94, 95, 96};
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
  private static final DateTimeFormatter DAY_AND_TIME =
      DateTimeFormatter.ofPattern("MMM d HH:mm", Locale.ROOT);

  private final boolean colour;
  private final Clock clock;

  Renderer(boolean colour, Clock clock) {
    this.colour = colour;
    this.clock = clock;
  }

  /**
   * Colour off for dumb terminals (JLine calls a dumb one on a real tty {@code dumb-color}), when
   * {@code NO_COLOR} is set, and for plain output.
   */
  static boolean useColour(String terminalType, int maxColours, String noColorVariable) {
    boolean dumb = isDumb(terminalType) || maxColours < 8;
    boolean refused = noColorVariable != null && !noColorVariable.isEmpty();
    return !dumb && !refused;
  }

  /** True for JLine's dumb terminals: no cursor movement, no colour, no echo control. */
  static boolean isDumb(String terminalType) {
    return terminalType == null || terminalType.startsWith("dumb");
  }

  /** A message: time, sender and text; {@code [room]} first when {@code showRoom}. */
  String message(ChatMessage m, boolean showRoom) {
    String time = time(m.timestamp());
    String prefix =
        dim(time) + " " + (showRoom ? room(m.roomId()) + " " : "") + sender(m.from()) + ": ";
    String indent = " ".repeat(time.length() + 1);
    return prefix + safe(m.text()).replace("\n", "\n" + indent);
  }

  /** Someone entered or left a room: {@code 14:05 * bob joined general}. */
  String presence(String roomId, String userId, String event) {
    String what = event.equals("join") ? "joined" : event.equals("leave") ? "left" : event;
    return dim(time(clock.millis()) + " * ")
        + sender(userId)
        + dim(" " + what + " " + safe(roomId));
  }

  /** Something the client says: {@code * reconnected}. */
  String notice(String text) {
    return dim("* " + safe(text));
  }

  /** Something that went wrong: {@code ! no room 'x'}. */
  String error(String text) {
    return style(RED, "! " + safe(text));
  }

  /** A heading before a block of messages: {@code -- 3 missed messages in general --}. */
  String heading(String text) {
    return dim("-- " + safe(text) + " --");
  }

  /** A user id in its stable colour. */
  String sender(String userId) {
    return style(BOLD + "\u001b[" + colourOf(userId) + "m", safe(userId));
  }

  /** The ANSI colour number of a user id: the same for the same id, in every run. */
  static int colourOf(String userId) {
    return SENDER_COLOURS[Math.floorMod(userId.hashCode(), SENDER_COLOURS.length)];
  }

  /** Replaces control characters (but newline and tab) with visible stand-ins. */
  static String safe(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean control = (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f);
      if (control && out == null) {
        out = new StringBuilder(text.length() + 8).append(text, 0, i);
      }
      if (out == null) {
        continue;
      }
      if (!control) {
        out.append(c);
      } else if (c < 0x20) {
        out.append('^').append((char) (c + 64));
      } else if (c == 0x7f) {
        out.append("^?");
      } else {
        out.append('\uFFFD');
      }
    }
    return out == null ? text : out.toString();
  }

  private String room(String roomId) {
    return style(BOLD, "[" + safe(roomId) + "]");
  }

  private String time(long epochMillis) {
    ZoneId zone = clock.getZone();
    ZonedDateTime at = Instant.ofEpochMilli(epochMillis).atZone(zone);
    return at.toLocalDate().equals(LocalDate.now(clock))
        ? TIME.format(at)
        : DAY_AND_TIME.format(at);
  }

  private String dim(String text) {
    return style(DIM, text);
  }

  private String style(String sgr, String text) {
    return colour ? sgr + text + RESET : text;
  }
}
