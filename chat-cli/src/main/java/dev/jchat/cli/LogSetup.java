package dev.jchat.cli;

import java.io.PrintStream;
import java.util.logging.ErrorManager;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Sends every log record to standard error as one line in the chosen format, in place of the JDK's
 * two-line default. The library logs through {@code System.Logger}, which the JDK routes to {@code
 * java.util.logging}; this is the only place that configures it. A {@code
 * -Djava.util.logging.config.file} given to the JVM wins and is left alone.
 */
final class LogSetup {
  /** The log line format of {@code chat server --log-format}. */
  enum Format {
    text,
    json
  }

  /** Logger names kept to WARNING and above, held here so that the settings are not collected. */
  private static final java.util.List<String> QUIET_LIBRARIES =
      java.util.List.of("com.zaxxer.hikari", "redis.clients");

  private static final java.util.List<Logger> KEPT = new java.util.ArrayList<>();

  private LogSetup() {}

  static void install(Format format, PrintStream err) {
    if (System.getProperty("java.util.logging.config.file") != null) {
      return;
    }
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    root.setLevel(Level.INFO);
    // the libraries' own news (pool started, connection opened) is not the operator's; their
    // warnings are. The server logs what their failures mean.
    for (String library : QUIET_LIBRARIES) {
      Logger quiet = Logger.getLogger(library);
      quiet.setLevel(Level.WARNING);
      KEPT.add(quiet);
    }
    root.addHandler(
        new LineHandler(format == Format.json ? new LogLines.Json() : new LogLines.Text(), err));
  }

  /** Writes each formatted line with one call and flushes it, so lines never interleave. */
  private static final class LineHandler extends Handler {
    private final PrintStream out;

    LineHandler(java.util.logging.Formatter formatter, PrintStream out) {
      this.out = out;
      setFormatter(formatter);
      setLevel(Level.ALL);
    }

    @Override
    public void publish(LogRecord r) {
      if (!isLoggable(r)) {
        return;
      }
      String line;
      try {
        line = getFormatter().format(r);
      } catch (RuntimeException e) {
        reportError("cannot format a log record", e, ErrorManager.FORMAT_FAILURE);
        return;
      }
      synchronized (this) {
        out.print(line);
        out.flush();
      }
    }

    @Override
    public void flush() {
      out.flush();
    }

    @Override
    public void close() {
      flush();
    }
  }
}
