package dev.jchat.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Formats a log record as exactly one line: ISO-8601 UTC time, level, component and message, as
 * text or as one JSON object. A stack trace stays on the line (escaped newlines in text, a string
 * field in JSON), so a log shipper never splits an event. Stateless and thread-safe.
 */
abstract class LogLines extends Formatter {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** {@code 2026-01-02T03:04:05.678Z INFO server.HttpRouting: message}. */
  static final class Text extends LogLines {
    @Override
    public String format(LogRecord r) {
      StringBuilder line =
          new StringBuilder(128)
              .append(time(r))
              .append(' ')
              .append(String.format("%-5s", level(r.getLevel())))
              .append(' ')
              .append(component(r.getLoggerName()))
              .append(": ")
              .append(oneLine(formatMessage(r)));
      if (r.getThrown() != null) {
        line.append(" | ").append(oneLine(stackTrace(r.getThrown())));
      }
      return line.append(System.lineSeparator()).toString();
    }
  }

  /** {@code {"time":"...","level":"INFO","component":"...","message":"...","thread":"..."}}. */
  static final class Json extends LogLines {
    @Override
    public String format(LogRecord r) {
      StringBuilder line = new StringBuilder(160).append('{');
      field(line, "time", time(r)).append(',');
      field(line, "level", level(r.getLevel())).append(',');
      field(line, "component", component(r.getLoggerName())).append(',');
      field(line, "logger", String.valueOf(r.getLoggerName())).append(',');
      field(line, "thread", Thread.currentThread().getName()).append(',');
      field(line, "message", formatMessage(r));
      if (r.getThrown() != null) {
        field(line.append(','), "error", stackTrace(r.getThrown()));
      }
      return line.append('}').append(System.lineSeparator()).toString();
    }

    private static StringBuilder field(StringBuilder out, String name, String value) {
      out.append('"').append(name).append("\":\"");
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        switch (c) {
          case '"' -> out.append("\\\"");
          case '\\' -> out.append("\\\\");
          case '\n' -> out.append("\\n");
          case '\r' -> out.append("\\r");
          case '\t' -> out.append("\\t");
          default -> {
            if (c < 0x20) {
              out.append(String.format("\\u%04x", (int) c));
            } else {
              out.append(c);
            }
          }
        }
      }
      return out.append('"');
    }
  }

  static String time(LogRecord r) {
    return TIME.format(r.getInstant() == null ? Instant.now() : r.getInstant());
  }

  /** System.Logger's level names, which are what the library logs with. */
  static String level(Level level) {
    int v = level.intValue();
    if (v >= Level.SEVERE.intValue()) {
      return "ERROR";
    }
    if (v >= Level.WARNING.intValue()) {
      return "WARN";
    }
    if (v >= Level.INFO.intValue()) {
      return "INFO";
    }
    if (v >= Level.FINE.intValue()) {
      return "DEBUG";
    }
    return "TRACE";
  }

  /** The logger name without the {@code dev.jchat.internal.} or {@code dev.jchat.} prefix. */
  static String component(String logger) {
    if (logger == null || logger.isEmpty()) {
      return "-";
    }
    if (logger.startsWith("dev.jchat.internal.")) {
      return logger.substring(19);
    }
    if (logger.startsWith("dev.jchat.")) {
      return logger.substring(10);
    }
    return logger;
  }

  private static String oneLine(String s) {
    return s.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n").replace("\t", " ");
  }

  private static String stackTrace(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString().stripTrailing();
  }
}
