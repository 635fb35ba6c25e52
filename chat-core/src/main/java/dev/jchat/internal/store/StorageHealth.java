package dev.jchat.internal.store;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Whether the store can write, for readiness checks: degraded from the moment a write fails with a
 * {@link StoreUnavailableException} until a write succeeds again. So that an idle server (or one
 * taken out of rotation because of this very check) still notices the recovery, {@link #check()} of
 * a degraded store tries a small real write itself, but only once no write has failed for a second
 * (under traffic the real writes decide: on a nearly full disk a small probe may pass where a batch
 * of messages does not), and at most once per second. Thread-safe.
 */
public final class StorageHealth {
  private static final long PROBE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** The outcome of a check: {@code reason} is null when healthy. */
  public record Status(boolean ok, String reason) {}

  private static final Status OK = new Status(true, null);

  private final Runnable probe;
  private final LongSupplier nanoClock;
  private final FailureLog log;
  private volatile String failure; // why the last write failed; null once one succeeded
  private volatile long failedAtNanos;
  private long lastProbeNanos; // guarded by this
  private boolean probed; // guarded by this

  StorageHealth(Runnable probe, LongSupplier nanoClock) {
    this.probe = probe;
    this.nanoClock = nanoClock;
    this.log = new FailureLog(10, TimeUnit.SECONDS, nanoClock);
  }

  /** A storage operation failed in a way that passes by itself: degraded, and logged sparingly. */
  void failed(StoreUnavailableException e) {
    failedAtNanos = nanoClock.getAsLong();
    failure = e.getMessage();
    log.failed(e);
  }

  /** A write committed: healthy again. */
  void succeeded() {
    if (failure != null) {
      failure = null;
      log.recovered();
    }
  }

  /**
   * Healthy, or degraded with the one-line reason of the last failed write. A degraded store on
   * which no write failed for a second is probed with a small write (on a pooled connection,
   * waiting at most a quarter second for locks), at most once per second; the probe's outcome
   * counts like any other write.
   */
  public Status check() {
    if (failure == null) {
      return OK;
    }
    if (probeDue()) {
      try {
        probe.run();
        succeeded();
      } catch (StoreException e) {
        // a StoreUnavailableException was recorded by the probe's own connection handling
      }
    }
    String reason = failure;
    return reason == null ? OK : new Status(false, reason);
  }

  private synchronized boolean probeDue() {
    long now = nanoClock.getAsLong();
    if (now - failedAtNanos < PROBE_INTERVAL_NANOS) {
      return false;
    }
    if (probed && now - lastProbeNanos < PROBE_INTERVAL_NANOS) {
      return false;
    }
    probed = true;
    lastProbeNanos = now;
    return true;
  }
}
