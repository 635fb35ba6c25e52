package dev.jchat.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/** Runs {@code chat bench} in-process and keeps what it printed; the JSON line parsed. */
record BenchCli(int exitCode, String out, String err, JsonNode json) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static BenchCli run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        new CommandLine(new BenchCommand())
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(args);
    List<String> lines = out.toString().lines().toList();
    JsonNode json = null;
    if (!lines.isEmpty() && lines.get(lines.size() - 1).startsWith("{")) {
      try {
        json = JSON.readTree(lines.get(lines.size() - 1));
      } catch (IOException e) {
        throw new AssertionError("The last line is not JSON: " + lines, e);
      }
    }
    return new BenchCli(code, out.toString(), err.toString(), json);
  }

  long count(String field) {
    return json.get(field).asLong();
  }
}
