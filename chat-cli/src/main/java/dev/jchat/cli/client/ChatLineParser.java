package dev.jchat.cli.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jline.reader.CompletingParsedLine;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;

/**
 * Splits the line being typed into words for completion: the command, then for {@code /join},
 * {@code /switch} and {@code /leave} the rest of the line as one word, since room ids may hold
 * spaces; other lines split at whitespace. Never asks for more lines. Stateless.
 */
final class ChatLineParser implements Parser {

  @Override
  public ParsedLine parse(String line, int cursor, ParseContext context) {
    int commandEnd = line.startsWith("/") ? endOfWord(line, 0) : -1;
    if (commandEnd >= 0
        && cursor > commandEnd
        && InputParser.ROOM_COMMANDS.contains(
            line.substring(0, commandEnd).toLowerCase(Locale.ROOT))) {
      int start = Math.min(startOfWord(line, commandEnd), cursor);
      String rest = line.substring(start);
      return new Words(
          line, cursor, List.of(line.substring(0, commandEnd), rest), 1, rest, cursor - start);
    }
    return split(line, cursor);
  }

  private static ParsedLine split(String line, int cursor) {
    List<String> words = new ArrayList<>();
    int wordIndex = -1;
    String word = "";
    int wordCursor = 0;
    int before = 0; // words ending before the cursor
    for (int i = startOfWord(line, 0);
        i < line.length();
        i = startOfWord(line, endOfWord(line, i))) {
      int end = endOfWord(line, i);
      if (cursor >= i && cursor <= end) {
        wordIndex = words.size();
        word = line.substring(i, end);
        wordCursor = cursor - i;
      } else if (end < cursor) {
        before++;
      }
      words.add(line.substring(i, end));
    }
    if (wordIndex < 0) { // the cursor is in whitespace: completing a new word
      wordIndex = before;
      words.add(wordIndex, "");
    }
    return new Words(line, cursor, words, wordIndex, word, wordCursor);
  }

  private static int endOfWord(String line, int from) {
    int i = from;
    while (i < line.length() && !Character.isWhitespace(line.charAt(i))) {
      i++;
    }
    return i;
  }

  private static int startOfWord(String line, int from) {
    int i = from;
    while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
      i++;
    }
    return i;
  }

  /**
   * A parsed line; the record's accessors are {@link ParsedLine}'s methods. Nothing is quoted or
   * escaped: a completed room id is inserted as it is, spaces and all.
   */
  record Words(
      String line, int cursor, List<String> words, int wordIndex, String word, int wordCursor)
      implements CompletingParsedLine {
    @Override
    public CharSequence escape(CharSequence candidate, boolean complete) {
      return candidate;
    }

    @Override
    public int rawWordCursor() {
      return wordCursor;
    }

    @Override
    public int rawWordLength() {
      return word.length();
    }
  }
}
