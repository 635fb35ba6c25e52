package dev.jchat.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void delaysDoubleUpToTheMaximum() {
    Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10), () -> 0);
    assertEquals(Duration.ofMillis(500), backoff.delay(1));
    assertEquals(Duration.ofSeconds(1), backoff.delay(2));
    assertEquals(Duration.ofSeconds(8), backoff.delay(5));
    assertEquals(Duration.ofSeconds(10), backoff.delay(6));
    assertEquals(Duration.ofSeconds(10), backoff.delay(1000));
  }

  @Test
  void jitterShortensADelayByAtMostAFifth() {
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), () -> 0.999999);
    assertEquals(800, backoff.delay(1).toMillis(), 1);
  }

  @Test
  void theInitialDelayMustBePositiveAndAtMostTheMaximum() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), () -> 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), () -> 0));
  }
}
