package dev.jchat.internal.store;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Keeps the log readable while storage fails: the first failure of each kind is logged with its
 * cause (one stack trace); repeats of the same one-line message are only counted and summarised, at
 * most once per interval, and the recovery is logged with the total. Thread-safe; cheap enough to
 * call once per failed request.
 */
final class FailureLog {
  private static final Logger LOG = System.getLogger(StorageHealth.class.getName());

  private final long intervalNanos;
  private final LongSupplier nanoClock;

  /** Repeats not yet summarised, per failure message; guarded by this. */
  private final Map<String, Integer> repeats = new LinkedHashMap<>();

  private long failures; // since the last recovery; guarded by this
  private long firstFailureNanos; // guarded by this
  private long lastSummaryNanos; // guarded by this

  FailureLog(long interval, TimeUnit unit, LongSupplier nanoClock) {
    this.intervalNanos = unit.toNanos(interval);
    this.nanoClock = nanoClock;
  }

  /**
   * A failed storage operation: logged in full the first time its reason is seen (whatever the
   * operation), counted after that.
   */
  void failed(StoreException e) {
    String key =
        e.getCause() == null ? e.getMessage() : StoreException.oneLine(e.getCause().getMessage());
    String summary;
    synchronized (this) {
      long now = nanoClock.getAsLong();
      if (failures++ == 0) {
        firstFailureNanos = now;
        lastSummaryNanos = now;
      }
      Integer seen = repeats.get(key);
      repeats.put(key, seen == null ? 0 : seen + 1);
      if (seen == null) {
        summary = null;
      } else if (now - lastSummaryNanos >= intervalNanos) {
        summary = summarise(now);
      } else {
        return;
      }
    }
    if (summary == null) {
      LOG.log(
          Level.ERROR, "storage failed (repeats are counted, not logged): " + e.getMessage(), e);
    } else {
      LOG.log(Level.WARNING, summary);
    }
  }

  /** A write succeeded: if failures came before it, say so once with their count. */
  void recovered() {
    String line;
    synchronized (this) {
      if (failures == 0) {
        return;
      }
      long seconds = TimeUnit.NANOSECONDS.toSeconds(nanoClock.getAsLong() - firstFailureNanos);
      line = "storage works again after " + failures + " failed operations in " + seconds + " s";
      failures = 0;
      repeats.clear();
    }
    LOG.log(Level.INFO, line);
  }

  private String summarise(long now) {
    StringBuilder line = new StringBuilder("storage still failing; in the last ");
    line.append(TimeUnit.NANOSECONDS.toSeconds(now - lastSummaryNanos)).append(" s:");
    for (Map.Entry<String, Integer> kind : repeats.entrySet()) {
      if (kind.getValue() > 0) {
        line.append(" ").append(kind.getValue()).append(" x ").append(kind.getKey()).append(";");
      }
      kind.setValue(0);
    }
    lastSummaryNanos = now;
    return line.toString();
  }
}
