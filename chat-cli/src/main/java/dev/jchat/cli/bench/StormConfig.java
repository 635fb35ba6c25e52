package dev.jchat.cli.bench;

import java.time.Duration;

/**
 * A reconnect storm's settings, beside the shared ones of {@code base} (its {@code clients} are the
 * members that drop and reconnect, one more socket per room stays).
 *
 * @param missed messages each room gets while its members are away
 * @param rate messages per second each room's stayer sends, before and during the storm
 * @param steady how long the stayers send before the drop
 * @param timeout the longest wait for every member to be resumed
 * @param sourceAddresses loopback addresses 127.0.0.1..N the sockets are spread over, for ports
 */
record StormConfig(
    BenchConfig base,
    int missed,
    double rate,
    Duration steady,
    Duration timeout,
    int sourceAddresses) {

  StormConfig {
    if (missed < 0 || rate < 0) {
      throw new IllegalArgumentException("--missed and --rate must not be negative.");
    }
    if (sourceAddresses < 1 || sourceAddresses > 254) {
      throw new IllegalArgumentException("--source-addresses must be 1 to 254.");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("--timeout must be positive.");
    }
  }
}
