package dev.jchat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * How long one thread of this JVM has run on a CPU and waited for one, from Linux's {@code
 * /proc/self/task/<tid>/schedstat}; the thread is found by its name as the kernel keeps it (at most
 * 15 characters). On a machine shared with other work this tells the cost of the code apart from
 * the time spent queued for a core. Empty on other systems.
 */
final class ThreadSchedStat {
  private final Path schedstat;

  private ThreadSchedStat(Path schedstat) {
    this.schedstat = schedstat;
  }

  /** The first live thread whose kernel name starts with {@code namePrefix}. */
  static Optional<ThreadSchedStat> ofThread(String namePrefix) {
    String prefix = namePrefix.length() > 15 ? namePrefix.substring(0, 15) : namePrefix;
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : tasks.toList()) {
        if (Files.readString(task.resolve("comm")).strip().startsWith(prefix)) {
          return Optional.of(new ThreadSchedStat(task.resolve("schedstat")));
        }
      }
    } catch (IOException e) {
      // not Linux, or the thread is gone
    }
    return Optional.empty();
  }

  /**
   * Nanoseconds on a CPU and nanoseconds runnable but waiting for one, so far; null once the thread
   * is gone.
   */
  long[] read() {
    try {
      List<String> fields = List.of(Files.readString(schedstat).strip().split(" "));
      return new long[] {Long.parseLong(fields.get(0)), Long.parseLong(fields.get(1))};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
