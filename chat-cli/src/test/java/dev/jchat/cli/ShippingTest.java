package dev.jchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The Docker files agree with what the build produces, checked without a Docker engine: the
 * Dockerfile copies the jar the shade plugin writes and starts it the way the CLI parses,
 * .dockerignore keeps build output and databases out, and docker-compose.yml parses (when a compose
 * command is installed, as ./test makes sure). The cluster's file: {@link ClusterComposeTest}.
 */
class ShippingTest {
  static final Path ROOT = repositoryRoot();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Dockerfile dockerfile = Dockerfile.parse(read("Dockerfile"));

  @Test
  void composeFileParses() throws Exception {
    List<String> compose = composeCommand();
    assumeTrue(compose != null, "neither docker-compose nor `docker compose` is installed");
    List<String> command = new ArrayList<>(compose);
    command.addAll(List.of("-f", ROOT.resolve("docker-compose.yml").toString(), "config", "-q"));
    Run run = Run.of(ROOT, command);
    assertEquals(0, run.exitCode(), String.join(" ", command) + " said:\n" + run.output());
  }

  @Test
  void thePostgresComposeFileParsesOverTheFirstAndPointsTheServerAtItsDatabase() throws Exception {
    List<String> compose = composeCommand();
    assumeTrue(compose != null, "neither docker-compose nor `docker compose` is installed");
    List<String> command = new ArrayList<>(compose);
    command.addAll(
        List.of(
            "-f",
            ROOT.resolve("docker-compose.yml").toString(),
            "-f",
            ROOT.resolve("docker-compose.postgres.yml").toString(),
            "config"));
    Run run = Run.of(ROOT, command);
    assertEquals(0, run.exitCode(), String.join(" ", command) + " said:\n" + run.output());
    String merged = run.output();
    assertTrue(merged.contains("postgresql://chat@postgres:5432/chat"), merged);
    assertTrue(merged.contains("PGPASSWORD"), merged);
    assertTrue(merged.contains("image: postgres:15"), merged);
  }

  @Test
  void runtimeStageCopiesTheJarTheShadePluginBuilds() throws Exception {
    Document pom = xml("chat-cli/pom.xml");
    String shade = "//plugin[artifactId='maven-shade-plugin']//configuration";
    String finalName = text(pom, shade + "/finalName");
    String mainClass = text(pom, shade + "//transformer/mainClass");
    String buildDir = text(pom, "/project/build/directory");
    String target = buildDir.isEmpty() ? "target" : buildDir.replace("${project.basedir}/", "");
    Stage build = dockerfile.stage("build");

    String jar = "chat-cli/" + target + "/" + finalName + ".jar";
    assertEquals(
        List.of("--from=build", build.workdir() + "/" + jar, "/app/chat.jar"),
        dockerfile.last("COPY").words());
    String launcher = read("chat");
    assertTrue(
        launcher.contains("jar=\"$here/" + jar + "\"") && launcher.contains("-jar \"$jar\""),
        "the ./chat launcher runs another jar than " + jar);
    assertEquals(ChatCommand.class.getName(), mainClass);
    String mvn = build.all("RUN").get(build.all("RUN").size() - 1).args();
    assertTrue(
        mvn.matches("mvn .*-pl chat-cli -am package.*"), "the build stage's last RUN: " + mvn);
  }

  @Test
  void buildStageCopiesEveryModulePomAndSource() throws Exception {
    List<String> copied =
        dockerfile.stage("build").all("COPY").stream()
            .map(i -> i.words().get(0))
            .collect(Collectors.toList());
    NodeList modules =
        (NodeList)
            XPathFactory.newInstance()
                .newXPath()
                .evaluate("/project/modules/module", xml("pom.xml"), XPathConstants.NODESET);
    assertTrue(copied.contains("pom.xml"), copied.toString());
    for (int i = 0; i < modules.getLength(); i++) {
      String module = modules.item(i).getTextContent().strip();
      assertTrue(
          copied.contains(module + "/pom.xml"), module + "/pom.xml is not copied: " + copied);
    }
    for (String path : copied) {
      assertTrue(Files.exists(ROOT.resolve(path)), "the Dockerfile copies a missing " + path);
    }
    assertTrue(copied.containsAll(List.of("chat-core/src", "chat-cli/src")), copied.toString());
  }

  @Test
  void entrypointRunsThatJarWithJava() throws Exception {
    assertEquals(List.of("java", "-jar", "/app/chat.jar"), dockerfile.execForm("ENTRYPOINT"));
  }

  @Test
  void defaultCommandRunsAServerOnTheExposedPortWithItsDatabaseInTheVolume() throws Exception {
    ParseResult server = parse(dockerfile.execForm("CMD"));
    assertEquals("server", server.commandSpec().name());
    assertEquals(
        Integer.valueOf(dockerfile.last("EXPOSE").args()), server.matchedPositionalValue(0, 0));
    // --db takes a file or a PostgreSQL URL, so its value is a string
    assertEquals("/data/chat.db", server.matchedOptionValue("--db", null));
    assertEquals("/data", dockerfile.last("VOLUME").args());
  }

  @Test
  void serverWithoutDbStillWritesIntoTheVolume() {
    ParseResult server = parse(List.of("server", "5200"));
    Path db =
        Path.of(
            server.matchedOptionValue(
                "--db", server.commandSpec().findOption("--db").defaultValue()));
    assertEquals(Path.of("/data/chat.db"), Path.of(dockerfile.last("WORKDIR").args()).resolve(db));
  }

  @Test
  void runsAsANonRootUser() {
    String user = dockerfile.last("USER").args().split(":")[0];
    assertFalse(user.equals("root") || user.equals("0"), "USER " + user);
    assertTrue(
        dockerfile.stage("runtime").all("RUN").stream().anyMatch(r -> r.args().contains("useradd")),
        "the runtime stage creates no user");
  }

  @Test
  void healthcheckGetsApiHealthOnTheExposedPort() {
    String check = dockerfile.last("HEALTHCHECK").args();
    String port = dockerfile.last("EXPOSE").args();
    assertTrue(check.contains(" CMD curl -fsS "), check);
    assertTrue(check.contains("http://127.0.0.1:" + port + "/api/health"), check);
    assertTrue(
        dockerfile.stage("runtime").all("RUN").stream()
            .anyMatch(r -> r.args().matches("(?s).*apt-get install.* curl.*")),
        "the runtime stage does not install curl for the HEALTHCHECK");
  }

  @Test
  void dockerignoreKeepsBuildOutputAndDatabasesOut() {
    DockerIgnore ignore = DockerIgnore.parse(read(".dockerignore"));
    for (String path :
        List.of(
            "target/x",
            "chat-cli/target/chat.jar",
            "chat-core/target/classes/A.class",
            "chat.db",
            "chat.db-wal",
            "chat.db-shm",
            "data/chat.db",
            "chat-cli/chat.db-wal",
            ".git/HEAD")) {
      assertTrue(ignore.excludes(path), path + " would be sent to the Docker build");
    }
    for (Instruction copy : dockerfile.stage("build").all("COPY")) {
      String source = copy.words().get(0);
      assertFalse(
          ignore.excludes(source),
          ".dockerignore drops " + source + ", which the Dockerfile copies");
    }
    assertFalse(ignore.excludes("chat-core/src/main/java/dev/jchat/ChatServer.java"));
  }

  @Test
  void composeRunsTheImageCommandsWithTheVolumeAndThePort() throws Exception {
    Compose compose = new Compose(read("docker-compose.yml"));
    String port = dockerfile.last("EXPOSE").args();
    String server = compose.service("server");
    assertTrue(server.contains("- chat-data:" + dockerfile.last("VOLUME").args() + "\n"), server);
    assertTrue(
        Pattern.compile("- \"\\$\\{CHAT_PORT:-" + port + "}:" + port + "\"").matcher(server).find(),
        server);
    assertEquals(dockerfile.execForm("CMD"), compose.flowList("server", "command"));

    List<String> client = compose.flowList("client", "entrypoint");
    assertEquals(dockerfile.execForm("ENTRYPOINT"), client.subList(0, 3));
    List<String> clientArgs = client.subList(3, client.size());
    assertEquals(List.of("client", port, "--host", "server"), clientArgs);
    if (new CommandLine(new ChatCommand()).getSubcommands().containsKey("client")) {
      ParseResult parsed = parse(clientArgs);
      assertEquals("server", parsed.matchedOptionValue("--host", null));
    }
    for (String key : List.of("stdin_open: true", "tty: true", "condition: service_healthy")) {
      assertTrue(compose.service("client").contains(key), key);
    }
  }

  // ---- helpers ---------------------------------------------------------------------------

  /** The subcommand's parse result for {@code args} given to {@code chat}. */
  private static ParseResult parse(List<String> args) {
    ParseResult result = new CommandLine(new ChatCommand()).parseArgs(args.toArray(String[]::new));
    assertTrue(result.hasSubcommand(), "no subcommand in " + args);
    return result.subcommand();
  }

  private static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path pom = dir.resolve("pom.xml");
      try {
        if (Files.isRegularFile(pom) && Files.readString(pom).contains("<modules>")) {
          return dir;
        }
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + pom, e);
      }
    }
    throw new IllegalStateException("no aggregator pom.xml above " + Path.of("").toAbsolutePath());
  }

  static String read(String path) {
    try {
      return Files.readString(ROOT.resolve(path), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError("cannot read " + path + " in " + ROOT, e);
    }
  }

  private static Document xml(String path) throws Exception {
    return DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(ROOT.resolve(path).toFile());
  }

  private static String text(Document doc, String xpath) throws Exception {
    return XPathFactory.newInstance().newXPath().evaluate(xpath, doc).strip();
  }

  /** {@code docker-compose}, or {@code docker compose} where that plugin works, or null. */
  static List<String> composeCommand() throws Exception {
    if (onPath("docker-compose")) {
      return List.of("docker-compose");
    }
    if (onPath("docker") && Run.of(ROOT, List.of("docker", "compose", "version")).exitCode() == 0) {
      return List.of("docker", "compose");
    }
    return null;
  }

  static boolean onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  /** A finished process: its exit code and what it printed (stdout and stderr together). */
  record Run(int exitCode, String output) {
    static Run of(Path dir, List<String> command) throws Exception {
      Path out = Files.createTempFile("shipping-", ".out");
      try {
        Process p =
            new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile())
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          fail(String.join(" ", command) + " did not finish in 60 s");
        }
        return new Run(p.exitValue(), Files.readString(out));
      } finally {
        Files.delete(out);
      }
    }
  }

  /** One Dockerfile instruction: its keyword in upper case and the rest of the line. */
  private record Instruction(String keyword, String args) {
    List<String> words() {
      return List.of(args.split("\\s+"));
    }
  }

  /** A build stage: its name (or "runtime" for the last, unnamed one) and instructions. */
  private record Stage(String name, List<Instruction> instructions) {
    List<Instruction> all(String keyword) {
      return instructions.stream()
          .filter(i -> i.keyword().equals(keyword))
          .collect(Collectors.toList());
    }

    String workdir() {
      List<Instruction> w = all("WORKDIR");
      assertFalse(w.isEmpty(), "stage " + name + " sets no WORKDIR");
      return w.get(w.size() - 1).args();
    }
  }

  /** Just enough of the Dockerfile syntax: comments, line continuations, stages. */
  private record Dockerfile(List<Stage> stages) {
    static Dockerfile parse(String text) {
      List<Stage> stages = new ArrayList<>();
      StringBuilder line = new StringBuilder();
      for (String raw : text.split("\n")) {
        String trimmed = raw.strip();
        if (trimmed.startsWith("#") || (trimmed.isEmpty() && line.length() == 0)) {
          continue;
        }
        if (trimmed.endsWith("\\")) {
          line.append(trimmed, 0, trimmed.length() - 1).append(' ');
          continue;
        }
        line.append(trimmed);
        String[] parts = line.toString().strip().split("\\s+", 2);
        line.setLength(0);
        Instruction i =
            new Instruction(
                parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1].strip() : "");
        if (i.keyword().equals("FROM")) {
          String[] from = i.args().split("\\s+(?i:as)\\s+");
          stages.add(new Stage(from.length > 1 ? from[1] : "runtime", new ArrayList<>()));
        }
        assertFalse(stages.isEmpty(), "an instruction before FROM: " + i);
        stages.get(stages.size() - 1).instructions().add(i);
      }
      return new Dockerfile(stages);
    }

    Stage stage(String name) {
      return stages.stream()
          .filter(s -> s.name().equals(name))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no stage " + name));
    }

    /** The last {@code keyword} of the final (runtime) stage. */
    Instruction last(String keyword) {
      List<Instruction> found = stages.get(stages.size() - 1).all(keyword);
      assertFalse(found.isEmpty(), "the runtime stage has no " + keyword);
      return found.get(found.size() - 1);
    }

    /** The JSON array of an exec-form instruction, like {@code ENTRYPOINT ["java", ...]}. */
    List<String> execForm(String keyword) throws IOException {
      String args = last(keyword).args();
      assertTrue(args.startsWith("["), keyword + " is not in exec form: " + args);
      return List.of(JSON.readValue(args, String[].class));
    }
  }

  /**
   * .dockerignore as Docker reads it: paths relative to the context root, {@code *} within one
   * name, {@code **} across directories, {@code !} re-includes, the last match wins, and an
   * excluded directory excludes everything in it.
   */
  private record DockerIgnore(List<Pattern> patterns, List<Boolean> exclude) {
    static DockerIgnore parse(String text) {
      List<Pattern> patterns = new ArrayList<>();
      List<Boolean> exclude = new ArrayList<>();
      for (String raw : text.split("\n")) {
        String line = raw.strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        boolean negated = line.startsWith("!");
        String glob = (negated ? line.substring(1) : line).replaceAll("^/+|/+$", "");
        patterns.add(Pattern.compile(regex(glob)));
        exclude.add(!negated);
      }
      return new DockerIgnore(patterns, exclude);
    }

    private static String regex(String glob) {
      StringBuilder re = new StringBuilder();
      for (int i = 0; i < glob.length(); i++) {
        char c = glob.charAt(i);
        if (glob.startsWith("**/", i)) {
          re.append("(.*/)?");
          i += 2;
        } else if (glob.startsWith("**", i)) {
          re.append(".*");
          i++;
        } else if (c == '*') {
          re.append("[^/]*");
        } else if (c == '?') {
          re.append("[^/]");
        } else {
          re.append(Pattern.quote(String.valueOf(c)));
        }
      }
      return re.toString();
    }

    boolean excludes(String path) {
      boolean excluded = false;
      for (int i = 0; i < patterns.size(); i++) {
        if (matchesItselfOrAParent(patterns.get(i), path)) {
          excluded = exclude.get(i);
        }
      }
      return excluded;
    }

    private static boolean matchesItselfOrAParent(Pattern pattern, String path) {
      for (String p = path;
          !p.isEmpty();
          p = p.contains("/") ? p.substring(0, p.lastIndexOf('/')) : "") {
        if (pattern.matcher(p).matches()) {
          return true;
        }
      }
      return false;
    }
  }

  /** Just enough of docker-compose.yml: a service's block and its one-line flow lists. */
  record Compose(String text) {
    String service(String name) {
      StringBuilder block = new StringBuilder();
      boolean inside = false;
      for (String line : text.split("\n")) {
        boolean topOfService =
            !line.isBlank() && !line.strip().startsWith("#") && indent(line) <= 2;
        if (inside && topOfService) {
          break;
        }
        if (inside) {
          block.append(line).append('\n');
        }
        if (line.equals("  " + name + ":")) {
          inside = true;
        }
      }
      assertTrue(inside, "no service " + name);
      return block.toString();
    }

    List<String> flowList(String service, String key) throws IOException {
      for (String line : service(service).split("\n")) {
        String s = line.strip();
        if (s.startsWith(key + ":")) {
          return List.of(JSON.readValue(s.substring(key.length() + 1), String[].class));
        }
      }
      throw new AssertionError("service " + service + " has no one-line " + key + ": [...]");
    }

    private static int indent(String line) {
      int n = 0;
      while (n < line.length() && line.charAt(n) == ' ') {
        n++;
      }
      return n;
    }
  }
}
