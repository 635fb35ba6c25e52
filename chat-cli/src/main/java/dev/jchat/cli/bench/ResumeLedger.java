package dev.jchat.cli.bench;

import java.util.BitSet;

/**
 * What one reconnecting client of a storm was owed and what it got. Before the drop it tracks the
 * room's seqs as they arrive; {@link #dropped} fixes its cursor (the {@code since} of its next
 * join); after the rejoin every seq it receives, from the {@code joined} history or live, is
 * recorded once. {@link #settle} then compares what arrived with what the room committed after the
 * cursor:
 *
 * <pre>
 *   since                    resumedAt                       last
 *     |---- missed (history) ----|---- live after joined -------|
 *   every seq in (since, last] must arrive exactly once
 * </pre>
 *
 * <p>A seq at or below the cursor, or one that arrives twice, is a duplicate; one in the range that
 * never arrives is a gap. Owned by one thread.
 */
final class ResumeLedger {
  private long cursor = -1;
  private long since = -1;
  private long resumedAt = -1;
  private final BitSet received = new BitSet();
  private long duplicates;

  /** The first {@code joined}: the client has everything up to {@code lastSeq}. */
  void joined(long lastSeq) {
    cursor = Math.max(cursor, lastSeq);
  }

  /** A live message before the drop. */
  void seenBeforeDrop(long seq) {
    cursor = Math.max(cursor, seq);
  }

  /** The connection is gone; returns the seq to resume after. */
  long dropped() {
    since = Math.max(cursor, 0);
    return since;
  }

  boolean isDropped() {
    return since >= 0;
  }

  /** The {@code joined} after the reconnect, with the seqs of its history. */
  void rejoined(long lastSeq, long[] historySeqs) {
    resumedAt = lastSeq;
    for (long seq : historySeqs) {
      received(seq);
    }
  }

  boolean isResumed() {
    return resumedAt >= 0;
  }

  /** A seq that arrived after the reconnect. */
  void received(long seq) {
    long offset = seq - since - 1;
    if (offset < 0 || offset > Integer.MAX_VALUE || received.get((int) offset)) {
      duplicates++;
      return;
    }
    received.set((int) offset);
  }

  /**
   * The highest seq received after the reconnect without a hole below it; {@code since} if none.
   */
  long contiguousUpTo() {
    return since + received.nextClearBit(0);
  }

  /**
   * Adds this client's accounting to {@code tally}, given the room's {@code last} seq once sending
   * stopped.
   */
  void settle(long last, Tally tally) {
    int owed = (int) Math.max(0, last - since);
    int missed = (int) Math.max(0, Math.min(resumedAt, last) - since);
    int got = received.get(0, owed).cardinality();
    tally.missed += missed;
    tally.missedDelivered += received.get(0, missed).cardinality();
    tally.owed += owed;
    tally.delivered += got;
    tally.gaps += owed - got;
    tally.duplicates +=
        duplicates + received.get(owed, Math.max(owed, received.length())).cardinality();
  }

  /**
   * The sums over the storm's clients: messages committed while they were away ({@code missed}) and
   * how many of those arrived, all messages after each cursor ({@code owed}) and how many arrived,
   * holes, and messages that came twice (or above the room's last seq).
   */
  static final class Tally {
    long missed;
    long missedDelivered;
    long owed;
    long delivered;
    long gaps;
    long duplicates;
  }
}
