package dev.jchat.internal.server;

import dev.jchat.internal.service.LogText;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Locale;

/**
 * One INFO record per HTTP request on the logger {@code dev.jchat.access}, when turned on: method,
 * path (never the query), status and duration from the complete request to its queued response.
 * Never headers or bodies, so no tokens, passwords or message text. Thread-safe and stateless.
 */
final class AccessLog {
  static final String LOGGER = "dev.jchat.access";
  private static final Logger LOG = System.getLogger(LOGGER);

  private final boolean enabled;

  AccessLog(boolean enabled) {
    this.enabled = enabled;
  }

  /** Notes the moment a request is complete: pass it to {@link #record}. */
  long begin() {
    return enabled ? System.nanoTime() : 0;
  }

  void record(String method, String path, int status, long began) {
    if (!enabled || !LOG.isLoggable(Level.INFO)) {
      return;
    }
    double millis = (System.nanoTime() - began) / 1e6;
    LOG.log(
        Level.INFO,
        method
            + " "
            + LogText.quote(path)
            + " "
            + status
            + " "
            + String.format(Locale.ROOT, "%.1fms", millis));
  }
}
