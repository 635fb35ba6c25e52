package dev.jchat;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The one style the formatter does not check: every {@code if}, {@code else}, {@code for} and
 * {@code while} body is a block. google-java-format (Spotless, in {@code mvn verify}) checks the
 * rest; this reads the Java sources of every module.
 */
class SourceStyleTest {
  private static final Pattern ONE_LINE_BODY =
      Pattern.compile("^\\s*(\\} )?(if|for|while|else if) \\(.*\\) [^{].*;\\s*(//.*)?$");
  private static final Pattern ELSE_BODY = Pattern.compile("^\\s*(\\} )?else (?!if\\b)[^{].*;$");
  private static final Pattern HEAD_ALONE = Pattern.compile("^\\s*(\\} )?(if|for|while) \\(.*\\)$");

  @Test
  void everyBranchAndLoopBodyIsABlock() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    List<String> found = new ArrayList<>();
    for (String module : List.of("chat-core", "chat-cli", "benchmarks")) {
      Path src = root.resolve(module).resolve("src");
      if (!Files.isDirectory(src)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(src)) {
        for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          check(root, file, found);
        }
      }
    }
    assertTrue(found.isEmpty(), "bodies without braces:\n" + String.join("\n", found));
  }

  private static void check(Path root, Path file, List<String> found) throws IOException {
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      boolean headWithBodyBelow =
          HEAD_ALONE.matcher(line).matches()
              && i + 1 < lines.size()
              && !lines.get(i + 1).trim().startsWith("{")
              && lines.get(i + 1).trim().endsWith(";");
      if (ONE_LINE_BODY.matcher(line).matches()
          || ELSE_BODY.matcher(line).matches()
          || headWithBodyBelow) {
        found.add(root.relativize(file) + ":" + (i + 1) + ": " + line.trim());
      }
    }
  }
}
