package dev.jchat.cli.bench;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one loop counted. "Measured" sends are those stamped inside the measured window; their acks,
 * rejections and deliveries are the ones counted, whenever they arrive. Written by its loop thread
 * only; read by the run after that thread has ended.
 */
final class LoopStats {
  /** Clients that reached {@code joined}. */
  long connected;

  /** Clients that never got there, and joined clients this tool dropped. */
  long failures;

  final Map<String, Long> failureReasons = new TreeMap<>();

  long sent;
  long acked;

  /** Measured sends answered with an {@code error} instead of an {@code ack}. */
  long rejected;

  /** Measured sends whose sender got its own message back; counted with --release echo only. */
  long echoed;

  /** Deliveries the acked sends should have made: each times its room's members. */
  long expected;

  long delivered;

  /** Every {@code message} frame received, measured or not. */
  long received;

  /** {@code error} frames by code. */
  final Map<String, Long> errors = new TreeMap<>();

  /** Connections the server closed, by close code (1006: dropped without a close frame). */
  final Map<Integer, Long> closes = new TreeMap<>();

  final LatencyHistogram latency = new LatencyHistogram();

  void failure(String reason) {
    failures++;
    failureReasons.merge(reason, 1L, Long::sum);
  }

  void error(String code) {
    errors.merge(code == null ? "unknown" : code, 1L, Long::sum);
  }

  void close(int code) {
    closes.merge(code, 1L, Long::sum);
  }

  void add(LoopStats o) {
    connected += o.connected;
    failures += o.failures;
    o.failureReasons.forEach((k, v) -> failureReasons.merge(k, v, Long::sum));
    sent += o.sent;
    acked += o.acked;
    echoed += o.echoed;
    rejected += o.rejected;
    expected += o.expected;
    delivered += o.delivered;
    received += o.received;
    o.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
    o.closes.forEach((k, v) -> closes.merge(k, v, Long::sum));
    latency.add(o.latency);
  }
}
