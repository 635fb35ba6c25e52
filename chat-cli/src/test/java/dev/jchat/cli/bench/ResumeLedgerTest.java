package dev.jchat.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

final class ResumeLedgerTest {

  private static ResumeLedger.Tally settle(ResumeLedger l, long last) {
    ResumeLedger.Tally t = new ResumeLedger.Tally();
    l.settle(last, t);
    return t;
  }

  @Test
  void historyThenLiveWithoutHolesIsExactlyOnce() {
    ResumeLedger l = new ResumeLedger();
    l.joined(4);
    l.seenBeforeDrop(5);
    assertEquals(5, l.dropped());
    l.rejoined(8, new long[] {6, 7, 8});
    l.received(9);
    l.received(10);
    assertEquals(10, l.contiguousUpTo());
    ResumeLedger.Tally t = settle(l, 10);
    assertEquals(3, t.missed);
    assertEquals(3, t.missedDelivered);
    assertEquals(5, t.owed);
    assertEquals(5, t.delivered);
    assertEquals(0, t.gaps);
    assertEquals(0, t.duplicates);
  }

  @Test
  void aSeqAtOrBelowTheCursorOrTwiceIsADuplicate() {
    ResumeLedger l = new ResumeLedger();
    l.joined(3);
    l.dropped();
    l.rejoined(5, new long[] {3, 4, 5});
    l.received(5);
    ResumeLedger.Tally t = settle(l, 5);
    assertEquals(2, t.duplicates, "3 was had before the drop, 5 came twice");
    assertEquals(0, t.gaps);
  }

  @Test
  void aSeqNeverReceivedIsAGap() {
    ResumeLedger l = new ResumeLedger();
    l.joined(0);
    l.dropped();
    l.rejoined(3, new long[] {1, 3});
    l.received(5);
    assertEquals(1, l.contiguousUpTo());
    ResumeLedger.Tally t = settle(l, 5);
    assertEquals(3, t.missed);
    assertEquals(2, t.missedDelivered);
    assertEquals(2, t.gaps, "2 and 4");
    assertEquals(3, t.delivered);
  }

  @Test
  void aSeqAboveTheRoomsLastIsCountedAsDuplicate() {
    ResumeLedger l = new ResumeLedger();
    l.joined(2);
    l.dropped();
    l.rejoined(2, new long[] {});
    l.received(3);
    l.received(4);
    ResumeLedger.Tally t = settle(l, 3);
    assertEquals(1, t.delivered);
    assertEquals(1, t.duplicates);
  }
}
