package dev.jchat.internal.service;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Counts refusals by the limit that caused them (sign-ups, failed logins, room creation, reads,
 * connections per address, request deadlines, password-hashing capacity), so that an operator sees
 * in the log when a limit trips and how often, without a line per refused request. Thread-safe.
 */
public final class LimitCounters {
  private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final Consumer<String> onTrip;

  public LimitCounters() {
    this(kind -> {});
  }

  /** Counters that also tell {@code onTrip} (a metrics counter) of each refusal. */
  public LimitCounters(Consumer<String> onTrip) {
    this.onTrip = onTrip;
  }

  /** One refusal by the limit {@code kind}. */
  public void tripped(String kind) {
    counts.computeIfAbsent(kind, k -> new LongAdder()).increment();
    onTrip.accept(kind);
  }

  /** The counts since the last call, by kind, leaving out kinds that did not trip; resets them. */
  public Map<String, Long> drain() {
    Map<String, Long> out = new TreeMap<>();
    for (Map.Entry<String, LongAdder> e : counts.entrySet()) {
      long n = e.getValue().sumThenReset();
      if (n > 0) {
        out.put(e.getKey(), n);
      }
    }
    return out;
  }
}
