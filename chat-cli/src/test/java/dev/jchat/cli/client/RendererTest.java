package dev.jchat.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jchat.ChatMessage;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RendererTest {
  private static final Instant NOW = Instant.parse("2026-11-29T14:30:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private final Renderer plain = new Renderer(false, CLOCK);
  private final Renderer coloured = new Renderer(true, CLOCK);

  private static ChatMessage message(String room, String from, String text, Instant at) {
    return new ChatMessage(room, 1, from, text, at.toEpochMilli());
  }

  @Test
  void aMessageShowsTimeSenderAndText() {
    ChatMessage m = message("general", "alice", "hello", Instant.parse("2026-11-29T14:05:00Z"));
    assertEquals("14:05 alice: hello", plain.message(m, false));
  }

  @Test
  void aMessageFromAnotherRoomShowsTheRoom() {
    ChatMessage m = message("Room 1", "bob", "hi", Instant.parse("2026-11-29T09:00:00Z"));
    assertEquals("09:00 [Room 1] bob: hi", plain.message(m, true));
  }

  @Test
  void aMessageFromAnotherDayShowsTheDate() {
    ChatMessage m = message("general", "alice", "old", Instant.parse("2026-11-27T23:59:00Z"));
    assertEquals("Nov 27 23:59 alice: old", plain.message(m, false));
  }

  @Test
  void theLinesOfAMultiLineMessageAreIndented() {
    ChatMessage m = message("general", "alice", "one\ntwo", Instant.parse("2026-11-29T14:05:00Z"));
    assertEquals("14:05 alice: one\n      two", plain.message(m, false));
  }

  @Test
  void withoutColourThereAreNoEscapeSequences() {
    ChatMessage m = message("general", "alice", "hello", NOW);
    for (String line :
        new String[] {
          plain.message(m, true),
          plain.presence("general", "bob", "join"),
          plain.notice("reconnected"),
          plain.error("no room"),
          plain.heading("2 missed")
        }) {
      assertFalse(line.contains("\u001b"), line);
    }
  }

  @Test
  void withColourTheSenderHasItsColour() {
    String line = coloured.message(message("general", "alice", "hello", NOW), false);
    assertTrue(line.contains("\u001b[" + Renderer.colourOf("alice") + "m" + "alice"), line);
    assertTrue(line.endsWith(": hello"), line);
  }

  @Test
  void senderColoursAreStableAndVaried() {
    assertEquals(Renderer.colourOf("alice"), Renderer.colourOf("alice"));
    assertEquals(32, Renderer.colourOf("alice"), "from String.hashCode, which Java specifies");
    long distinct =
        java.util.stream.Stream.of("alice", "bob", "carol", "dave", "erin", "frank")
            .map(Renderer::colourOf)
            .distinct()
            .count();
    assertTrue(distinct >= 3, "six users share " + distinct + " colours");
    assertNotEquals(31, Renderer.colourOf("anyone"), "red is for errors");
  }

  @Test
  void errorsAreRedWithColour() {
    assertEquals("\u001b[31m! no room 'x'\u001b[0m", coloured.error("no room 'x'"));
    assertEquals("! no room 'x'", plain.error("no room 'x'"));
  }

  @Test
  void presenceSaysWhoJoinedOrLeftWhichRoom() {
    assertEquals("14:30 * bob joined general", plain.presence("general", "bob", "join"));
    assertEquals("14:30 * bob left Room 1", plain.presence("Room 1", "bob", "leave"));
  }

  @Test
  void controlCharactersFromTheNetworkCannotSteerTheTerminal() {
    ChatMessage m = message("general", "mallory", "\u001b[2Jgone\u0007\u009b", NOW);
    String line = plain.message(m, false);
    assertFalse(
        line.contains("\u001b") || line.contains("\u0007") || line.contains("\u009b"), line);
    assertTrue(line.endsWith("^[[2Jgone^G\uFFFD"), line);
    assertEquals("a\tb", Renderer.safe("a\tb"));
  }

  @Test
  void colourIsOffForDumbTerminalsAndWhenNoColorIsSet() {
    assertTrue(Renderer.useColour("xterm-256color", 256, null));
    assertTrue(Renderer.useColour("xterm-256color", 256, ""), "an empty NO_COLOR does not count");
    assertFalse(Renderer.useColour("xterm-256color", 256, "1"));
    assertFalse(Renderer.useColour("dumb", 256, null));
    assertFalse(Renderer.useColour("dumb-color", 256, null), "JLine's name for TERM=dumb on a tty");
    assertFalse(Renderer.useColour("vt100", 0, null));
  }
}
