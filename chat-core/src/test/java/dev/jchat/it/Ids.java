package dev.jchat.it;

import java.util.concurrent.atomic.AtomicInteger;

/** Fresh user and room ids, so that tests sharing a server never see each other's data. */
final class Ids {
  private static final AtomicInteger NEXT = new AtomicInteger();

  private Ids() {}

  /** {@code prefix} plus a number unique in this JVM; keep the prefix under 24 characters. */
  static String unique(String prefix) {
    return prefix + "-" + NEXT.incrementAndGet();
  }
}
