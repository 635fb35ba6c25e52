package dev.jchat.web;

import dev.jchat.ChatMessage;
import dev.jchat.ChatSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/** What a Java {@link ChatSocket} received, with a waiting lookup. Thread-safe. */
final class Inbox implements ChatSocket.Listener {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final List<ChatMessage> messages = new ArrayList<>();

  @Override
  public void onMessage(ChatMessage m) {
    lock.lock();
    try {
      messages.add(m);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The first message received that matches, waiting for it at most {@code timeout}. */
  ChatMessage await(Predicate<ChatMessage> wanted, Duration timeout) throws InterruptedException {
    long left = timeout.toNanos();
    lock.lock();
    try {
      while (true) {
        for (ChatMessage m : messages) {
          if (wanted.test(m)) {
            return m;
          }
        }
        if (left <= 0) {
          throw new AssertionError("no such message within " + timeout);
        }
        left = changed.awaitNanos(left);
      }
    } finally {
      lock.unlock();
    }
  }

  ChatMessage awaitText(String text) throws InterruptedException {
    return await(m -> m.text().equals(text), Duration.ofSeconds(20));
  }

  /** How many messages with this text arrived so far. */
  long count(String text) {
    lock.lock();
    try {
      return messages.stream().filter(m -> m.text().equals(text)).count();
    } finally {
      lock.unlock();
    }
  }
}
