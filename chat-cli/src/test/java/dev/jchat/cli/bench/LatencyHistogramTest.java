package dev.jchat.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

final class LatencyHistogramTest {

  @Test
  void emptyHistogramReportsZero() {
    LatencyHistogram h = new LatencyHistogram();
    assertEquals(0, h.count());
    assertEquals(0, h.percentileMicros(50));
    assertEquals(0, h.maxMicros());
  }

  @Test
  void valuesBelow256AreExact() {
    LatencyHistogram h = new LatencyHistogram();
    for (int v = 1; v <= 200; v++) {
      h.record(v);
    }
    assertEquals(100, h.percentileMicros(50));
    assertEquals(180, h.percentileMicros(90));
    assertEquals(198, h.percentileMicros(99));
    assertEquals(200, h.percentileMicros(99.9));
    assertEquals(200, h.percentileMicros(100));
    assertEquals(1, h.percentileMicros(0));
  }

  @Test
  void percentilesOfAUniformRangeAreWithinOnePercent() {
    LatencyHistogram h = new LatencyHistogram();
    for (int v = 1; v <= 100_000; v++) {
      h.record(v);
    }
    assertClose(50_000, h.percentileMicros(50));
    assertClose(90_000, h.percentileMicros(90));
    assertClose(99_000, h.percentileMicros(99));
    assertClose(99_900, h.percentileMicros(99.9));
    assertEquals(100_000, h.maxMicros());
    assertEquals(100_000, h.count());
  }

  @Test
  void aPercentileIsNeverBelowTheTrueValueNorAboveTheMax() {
    LatencyHistogram h = new LatencyHistogram();
    h.record(1_000_003);
    assertEquals(1_000_003, h.percentileMicros(50), "one value: its bucket is capped at the max");
    h.record(5);
    assertEquals(5, h.percentileMicros(50));
    assertEquals(1_000_003, h.percentileMicros(99));
  }

  @Test
  void tailIsSeparatedFromTheBulk() {
    LatencyHistogram h = new LatencyHistogram();
    for (int i = 0; i < 990; i++) {
      h.record(1_000); // 1 ms
    }
    for (int i = 0; i < 10; i++) {
      h.record(50_000); // 50 ms
    }
    assertClose(1_000, h.percentileMicros(50));
    assertClose(1_000, h.percentileMicros(99));
    assertClose(50_000, h.percentileMicros(99.9));
  }

  @Test
  void outOfRangeValuesAreClamped() {
    LatencyHistogram h = new LatencyHistogram();
    h.record(-5);
    h.record(Long.MAX_VALUE);
    assertEquals(0, h.percentileMicros(50));
    assertEquals(LatencyHistogram.MAX_MICROS, h.maxMicros());
    assertEquals(LatencyHistogram.MAX_MICROS, h.percentileMicros(100));
  }

  @Test
  void mergedHistogramsCountBoth() {
    LatencyHistogram a = new LatencyHistogram();
    LatencyHistogram b = new LatencyHistogram();
    for (int v = 1; v <= 50; v++) {
      a.record(v);
      b.record(v + 50);
    }
    a.add(b);
    assertEquals(100, a.count());
    assertEquals(50, a.percentileMicros(50));
    assertEquals(100, a.maxMicros());
  }

  @Test
  void everyBucketHoldsItsOwnIndex() {
    for (long v = 0; v <= LatencyHistogram.MAX_MICROS; v = v < 1024 ? v + 1 : v + v / 300) {
      int index = LatencyHistogram.indexOf(v);
      long high = LatencyHistogram.highestInBucket(index);
      assertTrue(high >= v, "bucket of " + v + " ends at " + high);
      assertTrue(high - v <= v / 128, "bucket of " + v + " is too wide: ends at " + high);
      assertEquals(index + 1, LatencyHistogram.indexOf(high + 1), "buckets are contiguous at " + v);
    }
  }

  @Test
  void percentileOutsideZeroToHundredIsRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> new LatencyHistogram().percentileMicros(101));
  }

  private static void assertClose(long expected, long actual) {
    assertTrue(
        actual >= expected && actual <= expected * 1.01,
        "expected " + expected + " within +1%, got " + actual);
  }
}
