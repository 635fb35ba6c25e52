package dev.jchat.cli.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The outcome of a run, as a table for people and as one JSON line for scripts. Rates are per
 * second of the measured window; latencies are from the stamp in a text to the read that brought
 * its delivery, in milliseconds (null when nothing was delivered). Immutable once built.
 *
 * @param stats everything the loops counted, merged
 * @param connectSeconds from the first connect to the last client settled (joined or failed)
 */
record BenchReport(BenchConfig config, LoopStats stats, double connectSeconds) {
  private static final ObjectMapper JSON = new ObjectMapper();

  double seconds() {
    return config.duration().toNanos() / 1e9;
  }

  double deliveredPerSec() {
    return stats.delivered / seconds();
  }

  double sentPerSec() {
    return stats.sent / seconds();
  }

  /** Whether any client got as far as joining its room. */
  boolean connectedAny() {
    return stats.connected > 0;
  }

  /** Results first, then the parameters, in a stable order. */
  Map<String, Object> fields() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("clients", config.clients());
    m.put("connected", stats.connected);
    m.put("failures", stats.failures);
    m.put("sent", stats.sent);
    m.put("acked", stats.acked);
    m.put("delivered", stats.delivered);
    m.put("deliveredPerSec", round(deliveredPerSec(), 1));
    m.put("p50Ms", latencyMs(50));
    m.put("p90Ms", latencyMs(90));
    m.put("p99Ms", latencyMs(99));
    m.put("p999Ms", latencyMs(99.9));
    m.put("maxMs", stats.latency.count() == 0 ? null : stats.latency.maxMicros() / 1000.0);
    m.put("errors", stats.errors);
    m.put("closes", stats.closes);
    m.put("failureReasons", stats.failureReasons);
    m.put("rejected", stats.rejected);
    m.put("expected", stats.expected);
    m.put("sentPerSec", round(sentPerSec(), 1));
    m.put("connectSeconds", round(connectSeconds, 3));
    m.put("url", config.url().toString());
    m.put("rooms", config.rooms());
    m.put("sendersPerRoom", config.sendersPerRoom());
    if (config.sendersPerRoom() > 0 && config.windowMode()) {
      m.put("window", config.window());
      m.put("release", config.release().toString());
      if (config.release() == BenchConfig.Release.ECHO) {
        m.put("echoed", stats.echoed);
      }
    } else if (config.sendersPerRoom() > 0) {
      m.put("rate", config.rate());
    }
    m.put("payload", config.payload());
    m.put("warmupS", config.warmup().toMillis() / 1000.0);
    m.put("durationS", seconds());
    m.put("threads", config.threads());
    m.put("login", config.login());
    return m;
  }

  String json() {
    try {
      return JSON.writeValueAsString(fields());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Numbers, strings and maps always serialize.", e);
    }
  }

  String table() {
    StringBuilder b = new StringBuilder();
    line(b, "server", config.url() + (config.login() ? " (signed in)" : " (no login)"));
    line(b, "load", load());
    line(
        b,
        "connected",
        String.format(
            Locale.ROOT,
            "%d of %d in %.2f s, %d failures%s",
            stats.connected,
            config.clients(),
            connectSeconds,
            stats.failures,
            stats.failureReasons.isEmpty() ? "" : " " + counts(stats.failureReasons)));
    line(
        b,
        "sent",
        String.format(
            Locale.ROOT,
            "%d (%.1f/s), acked %d, rejected %d",
            stats.sent,
            sentPerSec(),
            stats.acked,
            stats.rejected));
    line(
        b,
        "delivered",
        String.format(
            Locale.ROOT,
            "%d of %d expected, %.1f/s",
            stats.delivered,
            stats.expected,
            deliveredPerSec()));
    line(
        b,
        "latency ms",
        stats.latency.count() == 0
            ? "none delivered"
            : String.format(
                Locale.ROOT,
                "p50 %s  p90 %s  p99 %s  p99.9 %s  max %s",
                ms(latencyMs(50)),
                ms(latencyMs(90)),
                ms(latencyMs(99)),
                ms(latencyMs(99.9)),
                ms(stats.latency.maxMicros() / 1000.0)));
    line(b, "errors", stats.errors.isEmpty() ? "none" : counts(stats.errors));
    line(b, "closes", stats.closes.isEmpty() ? "none" : counts(stats.closes));
    return b.toString();
  }

  private String load() {
    String sending;
    if (config.sendersPerRoom() == 0) {
      sending = "no senders";
    } else if (config.windowMode()) {
      sending =
          String.format(
              Locale.ROOT,
              "%d sender(s) per room, window %d (released on %s)",
              config.sendersPerRoom(),
              config.window(),
              config.release());
    } else {
      sending =
          String.format(
              Locale.ROOT,
              "%d sender(s) per room at %s/s each",
              config.sendersPerRoom(),
              trim(config.rate()));
    }
    return String.format(
        Locale.ROOT,
        "%d clients in %d rooms, %s, %d-byte texts, %s s measured" + " after %s s warmup",
        config.clients(),
        config.rooms(),
        sending,
        config.payload(),
        trim(seconds()),
        trim(config.warmup().toMillis() / 1000.0));
  }

  private Double latencyMs(double percentile) {
    if (stats.latency.count() == 0) {
      return null;
    }
    return stats.latency.percentileMicros(percentile) / 1000.0;
  }

  private static void line(StringBuilder b, String name, String value) {
    b.append(String.format(Locale.ROOT, "%-12s %s%n", name, value));
  }

  private static String ms(Double value) {
    return String.format(Locale.ROOT, "%.3f", value);
  }

  private static String counts(Map<?, Long> counts) {
    return counts.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(" ", "(", ")"));
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  private static double round(double v, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(v * scale) / scale;
  }
}
