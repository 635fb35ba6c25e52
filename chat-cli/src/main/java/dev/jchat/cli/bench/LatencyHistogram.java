package dev.jchat.cli.bench;

import java.util.Arrays;

/**
 * Counts latencies in microseconds, from 0 to about 67 s, in log-linear buckets: values under 256
 * µs exactly, above that 128 buckets per power of two, so a percentile is at most 0.8% above the
 * true value. Fixed size (2,560 counters), no allocation per value.
 *
 * <pre>
 *   shift = max(0, highestBit(v) - 7)      the bits dropped
 *   index = shift * 128 + (v >>> shift)    (v >>> shift) is in [128, 256) once shift > 0
 * </pre>
 *
 * <p>Owned by one loop thread while it records; merged by the run once the loops have stopped.
 */
final class LatencyHistogram {
  private static final int SUB_BUCKET_BITS = 7;
  private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;

  /** The largest value kept apart; larger ones count as this. */
  static final long MAX_MICROS = (1L << 26) - 1;

  private final long[] counts = new long[indexOf(MAX_MICROS) + 1];
  private long total;
  private long max;

  /** Counts one latency; negative values count as 0, values over {@link #MAX_MICROS} as that. */
  void record(long micros) {
    long v = Math.min(Math.max(micros, 0), MAX_MICROS);
    counts[indexOf(v)]++;
    total++;
    if (v > max) {
      max = v;
    }
  }

  /** Adds every value counted by {@code other}. */
  void add(LatencyHistogram other) {
    for (int i = 0; i < counts.length; i++) {
      counts[i] += other.counts[i];
    }
    total += other.total;
    max = Math.max(max, other.max);
  }

  /** Forgets every value. */
  void clear() {
    Arrays.fill(counts, 0);
    total = 0;
    max = 0;
  }

  long count() {
    return total;
  }

  /** The largest value recorded, exactly (after clamping); 0 when empty. */
  long maxMicros() {
    return max;
  }

  /**
   * The smallest value that at least {@code percent} percent of the values are at or below, as the
   * upper end of its bucket, never above {@link #maxMicros()}; 0 when empty.
   */
  long percentileMicros(double percent) {
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("A percentile is between 0 and 100: " + percent);
    }
    if (total == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(percent / 100 * total));
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min(highestInBucket(i), max);
      }
    }
    return max;
  }

  static int indexOf(long v) {
    int shift = Math.max(0, 63 - Long.numberOfLeadingZeros(v) - SUB_BUCKET_BITS);
    return (shift << SUB_BUCKET_BITS) + (int) (v >>> shift);
  }

  static long highestInBucket(int index) {
    int shift = Math.max(0, (index >>> SUB_BUCKET_BITS) - 1);
    long mantissa = index - ((long) shift << SUB_BUCKET_BITS);
    return ((mantissa + 1) << shift) - 1;
  }
}
