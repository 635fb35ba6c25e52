package dev.jchat.cli.client;

import java.util.List;

/** Where a chat session's lines go. Called from several threads, one line at a time. */
interface Output {

  /** A chat message: the program's output proper (stdout, for scripts). */
  void show(String line);

  /** Everything else: notices, presence, errors, command output. */
  void notice(String line);

  /** Prints lines in order, each where it belongs. */
  default void print(List<Line> lines) {
    for (Line line : lines) {
      if (line.message()) {
        show(line.text());
      } else {
        notice(line.text());
      }
    }
  }

  /** A rendered line, and whether it is a chat message. */
  record Line(boolean message, String text) {
    static Line message(String text) {
      return new Line(true, text);
    }

    static Line notice(String text) {
      return new Line(false, text);
    }
  }
}
