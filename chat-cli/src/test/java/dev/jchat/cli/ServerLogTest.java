package dev.jchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chat server} logs one line per event in either format: a real server in a child JVM with
 * {@code --access-log} answers a request, and its access line is read back from stderr.
 */
class ServerLogTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TEXT_ACCESS =
      Pattern.compile(
          "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO  access: GET \"/api/health\" 200"
              + " \\d+\\.\\dms");

  @TempDir Path dir;

  @Test
  void textLogIsOneLineWithUtcTimeLevelComponentAndMessage() throws Exception {
    String line = accessLineOf("text");
    assertTrue(TEXT_ACCESS.matcher(line).matches(), line);
  }

  @Test
  void jsonLogIsOneObjectPerLine() throws Exception {
    JsonNode line = JSON.readTree(accessLineOf("json"));
    Instant.parse(line.get("time").asText()); // ISO-8601
    assertTrue(line.get("time").asText().endsWith("Z"), "UTC: " + line);
    assertEquals("INFO", line.get("level").asText());
    assertEquals("access", line.get("component").asText());
    assertTrue(
        line.get("message").asText().matches("GET \"/api/health\" 200 \\d+\\.\\dms"),
        line.toString());
  }

  @Test
  void anExceptionStaysOnTheLineInBothFormats() throws Exception {
    LogRecord r = new LogRecord(Level.SEVERE, "storage failed\nsecond line");
    r.setLoggerName("dev.jchat.internal.store.MessageLog");
    r.setThrown(new IllegalStateException("disk full", new IOException("ENOSPC")));
    String text = new LogLines.Text().format(r);
    assertEquals(1, text.lines().count(), text);
    assertTrue(text.contains(" ERROR store.MessageLog: storage failed\\nsecond line | "), text);
    assertTrue(text.contains("Caused by: java.io.IOException: ENOSPC"), text);
    String json = new LogLines.Json().format(r);
    assertEquals(1, json.lines().count(), json);
    JsonNode parsed = JSON.readTree(json);
    assertEquals("ERROR", parsed.get("level").asText());
    assertEquals("store.MessageLog", parsed.get("component").asText());
    assertEquals("storage failed\nsecond line", parsed.get("message").asText());
    assertTrue(parsed.get("error").asText().contains("disk full"), json);
  }

  /** Starts a server with that log format, makes one request, returns its access log line. */
  private String accessLineOf(String format) throws Exception {
    try (ChildChatServer server =
        ChildChatServer.start(dir, "--log-format", format, "--access-log", "--metrics", "off")) {
      HttpResponse<String> health =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:" + server.port() + "/api/health?token=secret"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode());
      List<String> seen = new ArrayList<>();
      while (true) {
        String line = server.nextErrLine();
        assertNotNull(line, "no access line; stderr said:\n" + String.join("\n", seen));
        seen.add(line);
        if (line.contains("/api/health")) {
          assertFalse(line.contains("secret"), "the query reached the log: " + line);
          return line;
        }
      }
    }
  }
}
