package dev.jchat.cli.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Parses what is typed at the chat prompt. A line that starts with {@code /} is a command; {@code
 * //} at the start sends the rest, starting with {@code /}, as text. Room ids may hold spaces:
 * {@code /join}, {@code /switch} and {@code /leave} take the rest of the line as the room id,
 * {@code /create} needs double quotes around one with spaces. Stateless.
 */
final class InputParser {
  /** The commands, for help and completion. */
  static final List<String> COMMANDS =
      List.of(
          "/rooms",
          "/join",
          "/create",
          "/leave",
          "/switch",
          "/who",
          "/history",
          "/logout",
          "/quit",
          "/help");

  /** The commands whose argument is a room id taking the rest of the line. */
  static final List<String> ROOM_COMMANDS = List.of("/join", "/switch", "/leave");

  static final int DEFAULT_HISTORY = 20;
  static final int MAX_HISTORY = 200;
  private static final Pattern ROOM_ID = Pattern.compile("[A-Za-z0-9_.\\- ]{1,64}");
  private static final String ROOM_RULE = "room ids are 1 to 64 letters, digits, spaces and _ . -";

  private InputParser() {}

  static Input parse(String line) {
    if (line.isBlank()) {
      return new Input.Blank();
    }
    String trimmed = line.strip();
    if (trimmed.startsWith("//")) {
      return new Input.Text(line.substring(line.indexOf('/') + 1));
    }
    if (!trimmed.startsWith("/")) {
      return new Input.Text(line);
    }
    int space = firstSpace(trimmed);
    String command = trimmed.substring(0, space).toLowerCase(Locale.ROOT);
    String rest = trimmed.substring(space).strip();
    switch (command) {
      case "/rooms":
        return new Input.Rooms();
      case "/join":
        return room(rest, "/join ROOM").map(Input.Join::new);
      case "/switch":
        return room(rest, "/switch ROOM").map(Input.Switch::new);
      case "/leave":
        return rest.isEmpty()
            ? new Input.Leave(null)
            : room(rest, "/leave [ROOM]").map(Input.Leave::new);
      case "/create":
        return create(rest);
      case "/who":
        return new Input.Who();
      case "/history":
        return history(rest);
      case "/logout":
        return new Input.Logout();
      case "/quit":
      case "/exit":
        return new Input.Quit();
      case "/help":
      case "/?":
        return new Input.Help();
      default:
        return new Input.Unknown(command);
    }
  }

  private static Parsed room(String rest, String usage) {
    String room = unquote(rest);
    if (room.isEmpty()) {
      return Parsed.problem("which room? " + usage);
    }
    if (!ROOM_ID.matcher(room).matches()) {
      return Parsed.problem(ROOM_RULE + ": '" + room + "'");
    }
    return Parsed.of(room);
  }

  private static Input create(String rest) {
    List<String> words = words(rest);
    if (words == null) {
      return new Input.Invalid(
          "a quote is not closed: /create \"Book club\" [--private] [MEMBER...]");
    }
    boolean isPrivate = words.remove("--private") | words.remove("-p");
    if (words.isEmpty()) {
      return new Input.Invalid("which room? /create ROOM [--private] [MEMBER...]");
    }
    String room = words.remove(0);
    if (!ROOM_ID.matcher(room).matches()) {
      return new Input.Invalid(ROOM_RULE + ": '" + room + "'");
    }
    for (String word : words) {
      if (word.startsWith("-")) {
        return new Input.Invalid(
            "unknown option " + word + ": /create ROOM [--private] [MEMBER...]");
      }
    }
    return new Input.Create(room, isPrivate, words);
  }

  private static Input history(String rest) {
    if (rest.isEmpty()) {
      return new Input.History(DEFAULT_HISTORY);
    }
    try {
      int n = Integer.parseInt(rest);
      if (n >= 1 && n <= MAX_HISTORY) {
        return new Input.History(n);
      }
    } catch (NumberFormatException notANumber) {
      // falls through to the usage
    }
    return new Input.Invalid("/history [N]: N is a number from 1 to " + MAX_HISTORY);
  }

  /** Splits on spaces, keeping double-quoted parts whole; null when a quote is not closed. */
  static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean quoted = false;
    boolean inWord = false;
    for (char c : text.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
        inWord = true;
      } else if (Character.isWhitespace(c) && !quoted) {
        if (inWord) {
          words.add(word.toString());
        }
        word.setLength(0);
        inWord = false;
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (quoted) {
      return null;
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }

  private static String unquote(String text) {
    return text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")
        ? text.substring(1, text.length() - 1).strip()
        : text;
  }

  private static int firstSpace(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isWhitespace(text.charAt(i))) {
        return i;
      }
    }
    return text.length();
  }

  /** A room id or the problem with it. */
  private record Parsed(String roomId, String problem) {
    static Parsed of(String roomId) {
      return new Parsed(roomId, null);
    }

    static Parsed problem(String problem) {
      return new Parsed(null, problem);
    }

    Input map(java.util.function.Function<String, Input> command) {
      return problem == null ? command.apply(roomId) : new Input.Invalid(problem);
    }
  }
}
