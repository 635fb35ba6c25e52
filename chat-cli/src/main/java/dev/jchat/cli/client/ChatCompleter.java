package dev.jchat.cli.client;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/** Completes command names, and room ids after {@code /join}, {@code /switch}, {@code /leave}. */
final class ChatCompleter implements Completer {
  private final Supplier<Collection<String>> roomNames;

  /**
   * @param roomNames the room ids to offer; called on the console's thread while reading
   */
  ChatCompleter(Supplier<Collection<String>> roomNames) {
    this.roomNames = roomNames;
  }

  @Override
  public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
    if (line.wordIndex() == 0 && line.word().startsWith("/")) {
      for (String command : InputParser.COMMANDS) {
        candidates.add(candidate(command));
      }
    } else if (line.wordIndex() == 1
        && InputParser.ROOM_COMMANDS.contains(line.words().get(0).toLowerCase(Locale.ROOT))) {
      for (String room : roomNames.get()) {
        candidates.add(candidate(room));
      }
    }
  }

  private static Candidate candidate(String value) {
    return new Candidate(value, value, null, null, null, null, true);
  }
}
