package dev.jchat.internal.store;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/** Records the outcome of one append; waits for it with a generous timeout. */
final class Ack implements MessageLog.Callback {
  private final CompletableFuture<Ack> done = new CompletableFuture<>();
  private final AtomicInteger calls = new AtomicInteger();
  private volatile StoredMessage message;
  private volatile String ref;
  private volatile boolean duplicate;
  private volatile RuntimeException failure;

  @Override
  public void stored(StoredMessage message, String ref, boolean duplicate) {
    this.message = message;
    this.ref = ref;
    this.duplicate = duplicate;
    finish();
  }

  @Override
  public void failed(RuntimeException e) {
    this.failure = e;
    finish();
  }

  private void finish() {
    if (calls.incrementAndGet() != 1) {
      throw new AssertionError("callback called more than once");
    }
    done.complete(this);
  }

  boolean isDone() {
    return done.isDone();
  }

  Ack await() {
    try {
      return done.get(30, TimeUnit.SECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new AssertionError("no answer to the append", e);
    }
  }

  /** The stored message; fails the test when the append failed. */
  StoredMessage message() {
    await();
    assertNull(failure, () -> "append failed: " + failure);
    return message;
  }

  boolean duplicate() {
    message();
    return duplicate;
  }

  String ref() {
    message();
    return ref;
  }

  RuntimeException failure() {
    await();
    if (failure == null) {
      fail("append was stored as " + message);
    }
    return failure;
  }
}
