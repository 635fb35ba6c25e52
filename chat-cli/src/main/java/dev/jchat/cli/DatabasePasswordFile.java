package dev.jchat.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads {@code --db-password-file}: the first line, without its line break, is the password. */
final class DatabasePasswordFile {
  private DatabasePasswordFile() {}

  /**
   * @throws IllegalArgumentException naming the file (never its content) when it cannot be read or
   *     is empty
   */
  static String read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the database password file " + file);
    }
    if (lines.isEmpty() || lines.get(0).isEmpty()) {
      throw new IllegalArgumentException("the database password file " + file + " is empty");
    }
    return lines.get(0);
  }
}
