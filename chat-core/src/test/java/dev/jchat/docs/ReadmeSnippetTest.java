package dev.jchat.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's Java examples compile against the library as it is. */
class ReadmeSnippetTest {
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

  @TempDir Path dir;

  @Test
  void theEmbeddingExamplesInTheReadmeCompile() throws IOException {
    List<String> blocks = javaBlocks(Files.readString(readme()));
    assertEquals(2, blocks.size(), "the README has the server and the client example");

    Path server = dir.resolve("EmbeddedChat.java");
    Files.writeString(server, blocks.get(0));
    Path client = dir.resolve("ClientSnippet.java");
    Files.writeString(
        client,
        "import dev.jchat.*;\n"
            + "class ClientSnippet {\n  void run() throws Exception {\n"
            + blocks.get(1)
            + "\n  }\n}\n");

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter errors = new StringWriter();
    boolean ok =
        javac
            .getTask(
                errors,
                null,
                null,
                List.of(
                    "-d",
                    dir.resolve("classes").toString(),
                    "-cp",
                    System.getProperty("java.class.path")),
                null,
                javac.getStandardFileManager(null, null, null).getJavaFileObjects(server, client))
            .call();
    assertTrue(ok, "README examples do not compile:\n" + errors);
  }

  private static List<String> javaBlocks(String markdown) {
    List<String> blocks = new ArrayList<>();
    Matcher m = JAVA_BLOCK.matcher(markdown);
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  private static Path readme() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("README.md"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("README.md not found above " + Path.of("").toAbsolutePath());
    }
    return p.resolve("README.md");
  }
}
