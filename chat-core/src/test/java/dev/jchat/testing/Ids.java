package dev.jchat.testing;

import java.util.concurrent.atomic.AtomicInteger;

/** Fresh user and room ids, so that tests sharing a server never see each other's data. */
public final class Ids {
  private static final AtomicInteger NEXT = new AtomicInteger();

  private Ids() {}

  /** {@code prefix} plus a number unique in this JVM; keep the prefix under 24 characters. */
  public static String unique(String prefix) {
    return prefix + "-" + NEXT.incrementAndGet();
  }
}
