package dev.jchat.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class InputParserTest {

  @Test
  void plainTextIsAMessageAsTyped() {
    assertEquals(new Input.Text("hello there "), InputParser.parse("hello there "));
  }

  @Test
  void blankLinesAreNothing() {
    assertInstanceOf(Input.Blank.class, InputParser.parse(""));
    assertInstanceOf(Input.Blank.class, InputParser.parse("   "));
  }

  @Test
  void aDoubleSlashSendsTextStartingWithASlash() {
    assertEquals(
        new Input.Text("/etc/hosts is a file"), InputParser.parse("//etc/hosts is a file"));
  }

  @Test
  void commandsWithoutArguments() {
    assertEquals(new Input.Rooms(), InputParser.parse("/rooms"));
    assertEquals(new Input.Who(), InputParser.parse("/who"));
    assertEquals(new Input.Logout(), InputParser.parse("/logout"));
    assertEquals(new Input.Quit(), InputParser.parse("/quit"));
    assertEquals(new Input.Quit(), InputParser.parse("/exit"));
    assertEquals(new Input.Help(), InputParser.parse("/help"));
    assertEquals(new Input.Leave(null), InputParser.parse("/leave"));
  }

  @Test
  void commandNamesIgnoreCaseAndSurroundingSpace() {
    assertEquals(new Input.Join("general"), InputParser.parse("  /JOIN general  "));
  }

  @Test
  void roomCommandsTakeTheRestOfTheLineSoRoomIdsMayHoldSpaces() {
    assertEquals(new Input.Join("Room 1"), InputParser.parse("/join Room 1"));
    assertEquals(new Input.Switch("Room 1"), InputParser.parse("/switch   Room 1"));
    assertEquals(new Input.Leave("Room 1"), InputParser.parse("/leave Room 1"));
  }

  @Test
  void quotesAroundARoomIdAreAllowed() {
    assertEquals(new Input.Join("Room 1"), InputParser.parse("/join \"Room 1\""));
  }

  @Test
  void aRoomCommandWithoutARoomSaysHowToUseIt() {
    Input input = InputParser.parse("/join");
    assertEquals(new Input.Invalid("which room? /join ROOM"), input);
    assertInstanceOf(Input.Invalid.class, InputParser.parse("/switch "));
  }

  @Test
  void aRoomIdWithForbiddenCharactersIsRefused() {
    Input input = InputParser.parse("/join a/b");
    assertTrue(
        ((Input.Invalid) input).problem().startsWith("room ids are 1 to 64 letters"),
        input.toString());
    assertInstanceOf(Input.Invalid.class, InputParser.parse("/join " + "x".repeat(65)));
  }

  @Test
  void createTakesARoomPrivateAndMembers() {
    assertEquals(new Input.Create("team", false, List.of()), InputParser.parse("/create team"));
    assertEquals(
        new Input.Create("team", true, List.of("bob", "carol")),
        InputParser.parse("/create team --private bob carol"));
    assertEquals(
        new Input.Create("team", true, List.of("bob")),
        InputParser.parse("/create team bob --private"));
  }

  @Test
  void createNeedsQuotesAroundARoomIdWithSpaces() {
    assertEquals(
        new Input.Create("Book club", true, List.of("bob")),
        InputParser.parse("/create \"Book club\" -p bob"));
    assertInstanceOf(Input.Invalid.class, InputParser.parse("/create \"Book club --private"));
  }

  @Test
  void createRefusesUnknownOptionsAndAMissingRoom() {
    assertInstanceOf(Input.Invalid.class, InputParser.parse("/create team --public"));
    assertInstanceOf(Input.Invalid.class, InputParser.parse("/create --private"));
  }

  @Test
  void historyTakesAnOptionalCount() {
    assertEquals(new Input.History(20), InputParser.parse("/history"));
    assertEquals(new Input.History(5), InputParser.parse("/history 5"));
    assertEquals(new Input.History(200), InputParser.parse("/history 200"));
    assertInstanceOf(Input.Invalid.class, InputParser.parse("/history 0"));
    assertInstanceOf(Input.Invalid.class, InputParser.parse("/history 201"));
    assertInstanceOf(Input.Invalid.class, InputParser.parse("/history lots"));
  }

  @Test
  void anUnknownCommandIsNamed() {
    assertEquals(new Input.Unknown("/frobnicate"), InputParser.parse("/frobnicate now"));
    assertEquals(new Input.Unknown("/"), InputParser.parse("/"));
  }

  @Test
  void wordsKeepQuotedPartsWhole() {
    assertEquals(List.of("a b", "c", ""), InputParser.words("\"a b\"  c \"\""));
    assertNull(InputParser.words("\"open"));
  }
}
