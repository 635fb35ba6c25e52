package dev.jchat.internal.store;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Explains in plain words why a database path cannot work, before SQLite is asked: its own message
 * for all of these is "unable to open database file". Runs on the opening thread.
 */
final class OpenCheck {
  private OpenCheck() {}

  /** A short reason, or {@code null} when the path looks usable. */
  static String problemWith(Path file) {
    if (Files.isDirectory(file)) {
      return "it is a directory";
    }
    Path dir = file.getParent();
    if (dir == null || !Files.exists(dir)) {
      return "directory " + dir + " does not exist";
    }
    if (!Files.isDirectory(dir)) {
      return dir + " is not a directory";
    }
    if (Files.exists(file) && !(Files.isReadable(file) && Files.isWritable(file))) {
      return "the file is not readable and writable";
    }
    // SQLite creates the file and, in WAL mode, -wal and -shm files beside it.
    if (!Files.isWritable(dir)) {
      return "directory " + dir + " is not writable";
    }
    return null;
  }
}
