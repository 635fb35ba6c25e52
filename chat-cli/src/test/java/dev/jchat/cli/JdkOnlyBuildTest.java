package dev.jchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's commands work on a machine with a JDK and no Maven: a copy of the repository's files
 * (what {@code git ls-files} lists, as a clone would have them) runs {@code ./chat server} with a
 * PATH that has every program of this one except {@code mvn}, so the launcher builds its jar with
 * the Maven wrapper. The local Maven repository and the wrapper's distribution in {@code ~/.m2} are
 * reused, so this costs one compile of chat-core and chat-cli.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class JdkOnlyBuildTest {
  private static final Path ROOT = repositoryRoot();
  private static Path work;
  private static Path clone;
  private static String pathWithoutMaven;

  @BeforeAll
  static void cloneWithoutMaven() throws Exception {
    work = Files.createTempDirectory("jdk-only-");
    clone = work.resolve("jchat");
    for (String file : trackedFiles()) {
      Path source = ROOT.resolve(file);
      if (!Files.isRegularFile(source)) {
        continue; // deleted in the working tree
      }
      Path target = clone.resolve(file);
      Files.createDirectories(target.getParent());
      Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
    }
    pathWithoutMaven = binWithout("mvn", work.resolve("bin")).toString();
  }

  @AfterAll
  static void deleteClone() throws IOException {
    if (work == null) {
      return;
    }
    try (Stream<Path> all = Files.walk(work)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Test
  void theReadmesCommandsUseTheWrapperAndCiRunsTheSameTestCommand() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    assertTrue(readme.contains("\n    ./chat server 5200\n"), "README: the server command");
    assertTrue(readme.contains("\n    ./test\n"), "README: the test command");
    List<String> ci = Files.readAllLines(ROOT.resolve(".ci/run"));
    assertEquals("exec ./test", ci.get(ci.size() - 1), ".ci/run must end with it");
    List<String> test = Files.readAllLines(ROOT.resolve("test"));
    assertEquals(
        "exec ./mvnw -B verify \"$@\"", test.get(test.size() - 1), "./test runs the wrapper");
    String wrapper = Files.readString(ROOT.resolve(".mvn/wrapper/maven-wrapper.properties"));
    assertTrue(
        wrapper.matches(
            "(?s).*distributionUrl=https://repo\\.maven\\.apache\\.org/maven2/org/apache/maven/"
                + "apache-maven/3\\.(8|9)\\.\\d+/apache-maven-3\\.(8|9)\\.\\d+-bin\\.zip.*"),
        "the wrapper pins a Maven 3.8/3.9 from Maven Central:\n" + wrapper);
  }

  @Test
  void aCloneRunsTheServerWithoutMavenOnThePath() throws Exception {
    assertNotEquals(0, run(List.of("sh", "-c", "command -v mvn"), work).exitCode, "mvn found");

    Process server =
        start(
            List.of(
                "./chat",
                "server",
                "0",
                "--db",
                work.resolve("chat.db").toString(),
                "--metrics",
                "127.0.0.1:0"),
            clone);
    List<String> seen = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null && !line.startsWith("chat server listening on")) {
        seen.add(line);
      }
      assertTrue(line != null, "the server never listened; it said:\n" + String.join("\n", seen));
      server.destroy(); // SIGTERM: the launcher exec'd java, which shuts down cleanly
      assertTrue(server.waitFor(60, TimeUnit.SECONDS), "no exit after SIGTERM");
      assertEquals(0, server.exitValue());
    } finally {
      server.destroyForcibly();
    }
    assertTrue(Files.isRegularFile(clone.resolve("chat-cli/target/chat.jar")));
    assertTrue(Files.isRegularFile(work.resolve("chat.db")));
  }

  // ---- helpers ---------------------------------------------------------------------------

  private record Finished(int exitCode, String output) {}

  private static Process start(List<String> command, Path dir) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Map<String, String> env = pb.environment();
    env.put("PATH", pathWithoutMaven);
    env.remove("MAVEN_HOME");
    env.remove("M2_HOME");
    return pb.start();
  }

  private static Finished run(List<String> command, Path dir) throws Exception {
    Process p = start(command, dir);
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), command + " did not finish");
    return new Finished(p.exitValue(), output);
  }

  /** The files a clone has: tracked ones, plus new ones not yet committed and not ignored. */
  private static List<String> trackedFiles() throws Exception {
    Process git =
        new ProcessBuilder("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
            .directory(ROOT.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String listing = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, git.waitFor(), "git ls-files failed");
    // a set: during a merge, git lists a conflicted file once per stage
    Set<String> files = new LinkedHashSet<>();
    for (String f : listing.split("\0")) {
      if (!f.isEmpty()) {
        files.add(f);
      }
    }
    assertTrue(files.contains("mvnw"), "mvnw is not in the repository");
    return new ArrayList<>(files);
  }

  /** A directory of links to every program on this PATH except {@code program}. */
  private static Path binWithout(String program, Path bin) throws IOException {
    Files.createDirectories(bin);
    Set<String> linked = new HashSet<>();
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path d = Path.of(dir.isEmpty() ? "." : dir);
      if (!Files.isDirectory(d)) {
        continue;
      }
      try (Stream<Path> entries = Files.list(d)) {
        for (Path exe : entries.toList()) {
          String name = exe.getFileName().toString();
          if (name.equals(program) || !Files.isExecutable(exe) || !linked.add(name)) {
            continue;
          }
          Files.createSymbolicLink(bin.resolve(name), exe.toAbsolutePath());
        }
      }
    }
    return bin;
  }

  private static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("chat-cli"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
  }
}
