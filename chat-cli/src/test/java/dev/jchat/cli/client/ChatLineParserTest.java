package dev.jchat.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jline.reader.Candidate;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;
import org.junit.jupiter.api.Test;

class ChatLineParserTest {
  private final ChatLineParser parser = new ChatLineParser();
  private final ChatCompleter completer =
      new ChatCompleter(() -> List.of("general", "Room 1", "random"));

  private ParsedLine parse(String line) {
    return parser.parse(line, line.length(), Parser.ParseContext.COMPLETE);
  }

  private List<String> complete(String line) {
    List<Candidate> candidates = new ArrayList<>();
    completer.complete(null, parse(line), candidates);
    return candidates.stream().map(Candidate::value).collect(Collectors.toList());
  }

  @Test
  void theFirstWordOfACommandIsTheCommand() {
    ParsedLine line = parse("/jo");
    assertEquals(0, line.wordIndex());
    assertEquals("/jo", line.word());
    assertEquals(3, line.wordCursor());
  }

  @Test
  void aRoomCommandsArgumentIsTheRestOfTheLine() {
    ParsedLine line = parse("/join Room 1");
    assertEquals(List.of("/join", "Room 1"), line.words());
    assertEquals(1, line.wordIndex());
    assertEquals("Room 1", line.word());
    assertEquals(6, line.wordCursor());
  }

  @Test
  void aRoomCommandWithNothingTypedYetCompletesAnEmptyWord() {
    ParsedLine line = parse("/switch ");
    assertEquals(1, line.wordIndex());
    assertEquals("", line.word());
  }

  @Test
  void otherLinesSplitAtWhitespace() {
    ParsedLine line = parser.parse("hi there you", 5, Parser.ParseContext.COMPLETE);
    assertEquals(List.of("hi", "there", "you"), line.words());
    assertEquals(1, line.wordIndex());
    assertEquals(2, line.wordCursor());
    ParsedLine gap = parser.parse("a  b", 2, Parser.ParseContext.COMPLETE);
    assertEquals(List.of("a", "", "b"), gap.words());
    assertEquals(1, gap.wordIndex());
  }

  @Test
  void commandsAreOfferedForTheFirstWord() {
    assertEquals(InputParser.COMMANDS, complete("/"));
  }

  @Test
  void roomsAreOfferedAfterRoomCommandsOnly() {
    assertEquals(List.of("general", "Room 1", "random"), complete("/join R"));
    assertEquals(List.of("general", "Room 1", "random"), complete("/LEAVE "));
    assertEquals(List.of(), complete("/history "));
    assertEquals(List.of(), complete("hello "));
  }
}
