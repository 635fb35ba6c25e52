package dev.jchat.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jchat.ChatMessage;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class RoomLogTest {
  private final RoomLog log = new RoomLog("general");

  private static ChatMessage m(long seq) {
    return new ChatMessage("general", seq, "alice", "m" + seq, seq * 1000);
  }

  private static List<ChatMessage> range(long from, long to) {
    return LongStream.rangeClosed(from, to).mapToObj(RoomLogTest::m).collect(Collectors.toList());
  }

  private static List<Long> seqs(List<ChatMessage> messages) {
    return messages.stream().map(ChatMessage::seq).collect(Collectors.toList());
  }

  @Test
  void beforeTheFirstJoinThereIsNoSince() {
    assertFalse(log.wasJoined());
    assertEquals(0, log.since());
  }

  @Test
  void theFirstJoinShowsItsHistoryAndSinceBecomesTheLastSeqShown() {
    assertEquals(List.of(38L, 39L, 40L), seqs(log.joined(range(38, 40), true, List.of("alice"))));
    assertTrue(log.wasJoined());
    assertEquals(40, log.since());
  }

  @Test
  void anEmptyRoomIsJoinedWithSinceZeroNextTime() {
    log.joined(List.of(), true, List.of());
    assertTrue(log.wasJoined());
    assertEquals(0, log.since(), "a rejoin then asks for everything after 0");
  }

  @Test
  void liveMessagesMoveSinceAndDuplicatesAreDropped() {
    log.joined(range(1, 3), true, List.of());
    assertTrue(log.accept(m(4)));
    assertFalse(log.accept(m(4)));
    assertFalse(log.accept(m(2)));
    assertEquals(4, log.since());
  }

  @Test
  void aRejoinShowsOnlyWhatWasMissedEvenWhenTheServerSendsMore() {
    log.joined(range(1, 5), true, List.of());
    log.accept(m(6));
    // the server answered since=6, but a message that arrived live is in the history too
    assertEquals(List.of(7L, 8L), seqs(log.joined(range(6, 8), true, List.of())));
    assertEquals(8, log.since());
  }

  @Test
  void historyIsShownInSeqOrderWhateverOrderItCameIn() {
    assertEquals(List.of(1L, 2L, 3L), seqs(log.joined(List.of(m(3), m(1), m(2)), true, List.of())));
  }

  @Test
  void olderMessagesAreReadBeforeTheOldestShown() {
    log.joined(range(21, 40), true, List.of());
    assertEquals(21, log.historyBefore());
    assertEquals(
        List.of(11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L), seqs(log.older(range(11, 20))));
    assertEquals(11, log.historyBefore());
    assertEquals(40, log.since(), "older messages do not move since");
  }

  @Test
  void olderPagesDropWhatWasShownAlready() {
    log.joined(range(21, 40), true, List.of());
    assertEquals(List.of(19L, 20L), seqs(log.older(range(19, 25))));
  }

  @Test
  void whenTheServerCutARejoinShortHistoryContinuesAcrossTheGap() {
    log.joined(range(1, 10), true, List.of());
    // missed 11..600; the server sent only 101..600
    assertEquals(500, log.joined(range(101, 600), false, List.of()).size());
    assertEquals(101, log.historyBefore());
    assertEquals(
        List.of(91L, 92L, 93L, 94L, 95L, 96L, 97L, 98L, 99L, 100L),
        seqs(log.older(range(91, 100))));
  }

  @Test
  void withNothingShownHistoryReadsTheNewestAndTheyCountAsShown() {
    log.joined(List.of(), true, List.of());
    assertEquals(0, log.historyBefore());
    log.older(range(1, 3));
    assertEquals(3, log.since());
    assertFalse(log.accept(m(3)));
  }

  @Test
  void presenceKeepsTheOnlineList() {
    log.joined(List.of(), true, List.of("bob", "alice"));
    log.presence("carol", "join");
    log.presence("bob", "leave");
    log.presence("dave", "typing");
    assertEquals(List.of("alice", "carol"), log.online());
  }
}
