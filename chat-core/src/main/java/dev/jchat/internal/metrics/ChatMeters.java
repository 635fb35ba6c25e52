package dev.jchat.internal.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The server's meters, registered in the embedder's Micrometer registry (a no-op one when none is
 * given). Names follow Micrometer's dotted style; a Prometheus registry shows {@code
 * chat.messages.committed} as {@code chat_messages_committed_total}, a timer with {@code _seconds}.
 * Every meter carries no per-user or per-room tag, so their number stays fixed. Thread-safe; {@link
 * #close} removes them all from the registry.
 */
public final class ChatMeters implements AutoCloseable {
  /** The kinds LimitCounters counts today; others get their counter when they first trip. */
  static final List<String> LIMIT_KINDS =
      List.of(
          "messages",
          "reads",
          "signups",
          "login-failures",
          "rooms",
          "connections",
          "connections-per-address",
          "request-timeout",
          "password-queue");

  static final List<String> LOGIN_OUTCOMES = List.of("success", "failure", "throttled");

  /** Histogram buckets of the latency timers, 1 ms to 1 s. */
  private static final Duration[] LATENCY_BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofMillis(2),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1)
  };

  private final MeterRegistry registry;
  private final List<Meter> meters = new CopyOnWriteArrayList<>();
  private final Counter committed;
  private final Counter deliveries;
  private final Counter slowConsumerCloses;
  private final DistributionSummary batchSize;
  private final Timer commitDuration;
  private final Timer sendToAck;
  private final Map<String, Counter> limited = new ConcurrentHashMap<>();
  private final Map<String, Counter> logins = new ConcurrentHashMap<>();
  private final Counter joinsComplete;
  private final Counter joinsIncomplete;

  public ChatMeters(MeterRegistry registry) {
    this.registry = registry;
    committed =
        keep(
            Counter.builder("chat.messages.committed")
                .description("Messages stored (each acked and delivered after its commit)")
                .register(registry));
    deliveries =
        keep(
            Counter.builder("chat.deliveries")
                .description("Message frames queued to room subscribers")
                .register(registry));
    slowConsumerCloses =
        keep(
            Counter.builder("chat.slow.consumer.closes")
                .description("Sockets closed because their unsent backlog passed the limit")
                .register(registry));
    batchSize =
        keep(
            DistributionSummary.builder("chat.commit.batch.size")
                .description("Sends written per commit (group commit)")
                .baseUnit("messages")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
                .register(registry));
    commitDuration =
        keep(
            Timer.builder("chat.commit.duration")
                .description("Time to write and commit one batch of sends")
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry));
    sendToAck =
        keep(
            Timer.builder("chat.send.ack.duration")
                .description(
                    "From a send read off the socket to its ack queued, after the commit (socket"
                        + " sends only)")
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry));
    joinsComplete = joins(true);
    joinsIncomplete = joins(false);
    // known label values start at 0, so that rate() and alerts see the first event
    for (String kind : LIMIT_KINDS) {
      limitedCounter(kind);
    }
    for (String outcome : LOGIN_OUTCOMES) {
      loginCounter(outcome);
    }
  }

  /** A counter kept elsewhere (monotonic), read when the registry is scraped. */
  public void counter(String name, String description, Supplier<Number> value) {
    keep(
        io.micrometer.core.instrument.FunctionCounter.builder(
                name, value, v -> v.get().doubleValue())
            .description(description)
            .register(registry));
  }

  /** A gauge read when the registry is scraped. */
  public void gauge(String name, String description, Supplier<Number> value) {
    keep(
        Gauge.builder(name, value)
            .description(description)
            .strongReference(true)
            .register(registry));
  }

  /** One batch committed: its sends, the new messages among them, how long the commit took. */
  public void batchWritten(int sends, int stored, long nanos) {
    batchSize.record(sends);
    commitDuration.record(nanos, TimeUnit.NANOSECONDS);
    committed.increment(stored);
  }

  /** Frames of committed messages queued to room subscribers. */
  /** A socket send was acked {@code nanos} after it was read. */
  public void acked(long nanos) {
    sendToAck.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  public void delivered(int frames) {
    deliveries.increment(frames);
  }

  public void slowConsumerClosed() {
    slowConsumerCloses.increment();
  }

  /** One refusal by the limit {@code kind} (the kinds of LimitCounters). */
  public void limited(String kind) {
    limitedCounter(kind).increment();
  }

  private Counter limitedCounter(String kind) {
    return tagged(
        limited, "chat.requests.limited", "Requests refused by a limit, by kind", "kind", kind);
  }

  /** The counter of {@code name} with one tag, made (and kept) the first time it is asked for. */
  private Counter tagged(
      Map<String, Counter> made, String name, String description, String tag, String value) {
    return made.computeIfAbsent(
        value,
        v -> keep(Counter.builder(name).description(description).tag(tag, v).register(registry)));
  }

  /** One login attempt: {@code success}, {@code failure}, {@code throttled}, {@code invalid}... */
  public void login(String outcome) {
    loginCounter(outcome).increment();
  }

  private Counter loginCounter(String outcome) {
    return tagged(logins, "chat.logins", "Logins by outcome", "outcome", outcome);
  }

  /** One join answered; complete: its history reached back to what the client asked for. */
  public void joined(boolean complete) {
    (complete ? joinsComplete : joinsIncomplete).increment();
  }

  private Counter joins(boolean complete) {
    return keep(
        Counter.builder("chat.joins")
            .description("Joins answered, by whether their history was complete")
            .tag("complete", Boolean.toString(complete))
            .register(registry));
  }

  private <M extends Meter> M keep(M meter) {
    meters.add(meter);
    return meter;
  }

  /** Removes this server's meters from the registry (the server stopped). */
  @Override
  public void close() {
    for (Meter m : meters) {
      registry.remove(m);
    }
    meters.clear();
  }
}
