package dev.jchat.cli.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.Map;

/**
 * How {@code chat bench storm} and {@code chat bench history} print their figures: one padded
 * {@code name value} line each, for people, then the whole report as one JSON line, for scripts.
 */
final class FigureReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private FigureReport() {}

  static void print(PrintWriter out, Map<String, Object> report, int nameWidth)
      throws JsonProcessingException {
    for (Map.Entry<String, Object> e : report.entrySet()) {
      out.printf("%-" + nameWidth + "s %s%n", e.getKey(), e.getValue());
    }
    out.println(JSON.writeValueAsString(report));
    out.flush();
  }
}
