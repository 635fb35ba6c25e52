package dev.jchat.internal.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoomTest {

  /** Records frames as strings. */
  static final class Recorder implements Subscriber {
    final String user;
    final List<String> frames = new ArrayList<>();
    boolean overflowed;

    Recorder(String user) {
      this.user = user;
    }

    @Override
    public String userId() {
      return user;
    }

    @Override
    public boolean deliver(byte[] frame) {
      frames.add(new String(frame, StandardCharsets.UTF_8));
      return true;
    }

    @Override
    public void overflowed() {
      overflowed = true;
    }
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private final Room room = new Room("general", "general", false, "system", 0, 0);

  @Test
  void framesHeldWhileJoiningThatHistoryLacksGoIntoTheJoinedFrameNotLive() {
    Recorder alice = new Recorder("alice");
    Room.Subscription sub = room.subscribe(alice, b("presence"));
    room.fanOut(1, b("m1"));
    room.fanOut(2, b("m2"));
    room.fanOut(3, b("m3"));
    assertTrue(alice.frames.isEmpty(), "nothing is delivered before the join is released");

    // history read from the database already carried 1 and 2
    room.release(
        sub,
        2,
        (lastSeq, online, late) ->
            b("joined lastSeq=" + lastSeq + " online=" + online + " late=" + strings(late)));

    assertEquals(List.of("joined lastSeq=3 online=[alice] late=[m3]"), alice.frames);
    room.fanOut(4, b("m4"));
    assertEquals(List.of("joined lastSeq=3 online=[alice] late=[m3]", "m4"), alice.frames);
  }

  @Test
  void theCursorIsTheHistorysEndWhenNothingWasHeld() {
    Recorder alice = new Recorder("alice");
    Room.Subscription sub = room.subscribe(alice, b("presence"));
    room.release(sub, 7, (lastSeq, online, late) -> b("lastSeq=" + lastSeq + " " + late.size()));
    assertEquals(List.of("lastSeq=7 0"), alice.frames);
  }

  private static List<String> strings(List<byte[]> frames) {
    return frames.stream().map(f -> new String(f, StandardCharsets.UTF_8)).toList();
  }

  @Test
  void aMessageCommittedBeforeTheHistoryReadButFannedOutAfterTheReleaseIsNotDeliveredTwice() {
    Recorder alice = new Recorder("alice");
    Room.Subscription sub = room.subscribe(alice, b("presence"));
    // history read from the database already holds 1..3, but their fan-out has not run yet
    room.release(sub, 3, (lastSeq, online, late) -> b("joined"));
    room.fanOut(1, b("m1"));
    room.fanOut(2, b("m2"));
    room.fanOut(3, b("m3"));
    room.fanOut(4, b("m4"));

    assertEquals(List.of("joined", "m4"), alice.frames);
  }

  @Test
  void presenceGoesToOthersOnlyOnAUsersFirstSubscriptionAndLastUnsubscription() {
    Recorder bob = new Recorder("bob");
    room.release(room.subscribe(bob, b("bob joined")), 0, (s, o, l) -> b("joined"));
    Recorder alice1 = new Recorder("alice");
    Recorder alice2 = new Recorder("alice");
    room.release(room.subscribe(alice1, b("alice joined")), 0, (s, o, l) -> b("joined"));
    room.release(room.subscribe(alice2, b("alice joined again")), 0, (s, o, l) -> b("joined"));

    assertEquals(List.of("joined", "alice joined"), bob.frames);
    assertEquals(List.of("alice", "bob"), room.onlineUsers());

    room.unsubscribe(alice1, b("alice left"));
    assertEquals(2, bob.frames.size(), "alice still has a connection in the room");
    room.unsubscribe(alice2, b("alice left"));
    assertEquals("alice left", bob.frames.get(2));
    assertEquals(List.of("bob"), room.onlineUsers());
  }

  @Test
  void aRepeatedJoinHoldsTheSubscriptionAgainWithoutPresenceChurn() {
    Recorder bob = new Recorder("bob");
    room.release(room.subscribe(bob, b("bob joined")), 0, (s, o, l) -> b("joined"));
    Recorder alice = new Recorder("alice");
    room.release(room.subscribe(alice, b("alice joined")), 0, (s, o, l) -> b("joined"));
    Room.Subscription again = room.subscribe(alice, b("alice joined"));
    room.fanOut(1, b("m1"));
    room.release(again, 0, (s, o, l) -> b("joined again with " + strings(l)));

    assertEquals(List.of("joined", "joined again with [m1]"), alice.frames);
    assertEquals(List.of("joined", "alice joined", "m1"), bob.frames);
  }

  @Test
  void aReleaseAfterTheSubscriberLeftSendsNothing() {
    Recorder alice = new Recorder("alice");
    Room.Subscription sub = room.subscribe(alice, b("presence"));
    assertTrue(room.unsubscribe(alice, b("left")));
    room.release(sub, 0, (s, o, l) -> b("joined"));
    assertTrue(alice.frames.isEmpty());
    assertFalse(room.isSubscribed(alice));
  }

  @Test
  void lastDeliveredSeqFollowsFanOut() {
    room.fanOut(1, b("m1"));
    assertEquals(1, room.lastDeliveredSeq());
  }

  @Test
  void messagesThatComeEarlyWaitForTheMissingOnesAndRepeatsAreDropped() {
    Recorder alice = new Recorder("alice");
    room.release(room.subscribe(alice, b("presence")), 0, (s, o, l) -> b("joined"));
    room.fanOut(1, b("m1"));
    room.fanOut(3, b("m3"));
    room.fanOut(4, b("m4"));
    assertEquals(2, room.gap(), "2 is missing");
    assertEquals(List.of("joined", "m1"), alice.frames);

    assertEquals(3, room.fanOut(2, b("m2")), "2 releases 3 and 4");
    room.fanOut(3, b("m3 again"));
    room.fanOut(1, b("m1 again"));
    assertEquals(List.of("joined", "m1", "m2", "m3", "m4"), alice.frames);
    assertEquals(0, room.gap());
    assertEquals(4, room.lastDeliveredSeq());
  }

  @Test
  void aRoomNobodyWatchesMovesOnToTheStoresSeqAndOneWatchedWaits() {
    room.fanOut(3, b("m3"));
    assertTrue(room.advanceIfIdle(5));
    assertEquals(5, room.lastDeliveredSeq());
    room.fanOut(6, b("m6"));
    assertEquals(6, room.lastDeliveredSeq());

    Recorder alice = new Recorder("alice");
    room.release(room.subscribe(alice, b("presence")), 6, (s, o, l) -> b("joined"));
    assertFalse(room.advanceIfIdle(9), "a watched room reads 7..9 instead");
    assertEquals(6, room.lastDeliveredSeq());
  }

  @Test
  void presenceCountsTheUsersOnOtherNodesOnceWhateverTheNodesSay() {
    Recorder bob = new Recorder("bob");
    room.release(room.subscribe(bob, b("bob joined")), 0, (s, o, l) -> b("joined"));
    room.remoteOnline("alice", "node-a", true, b("alice joined"));
    room.remoteOnline("alice", "node-b", true, b("alice joined"));
    room.remoteOnline("alice", "node-a", true, b("alice joined"));
    assertEquals(List.of("alice", "bob"), room.onlineUsers());
    assertEquals(List.of("bob"), room.localOnlineUsers());

    room.remoteOnline("alice", "node-a", false, b("alice left"));
    assertEquals(List.of("alice", "bob"), room.onlineUsers(), "still online on node-b");
    room.remoteOnline("alice", "node-b", false, b("alice left"));
    room.remoteOnline("alice", "node-b", false, b("alice left"));
    assertEquals(List.of("joined", "alice joined", "alice left"), bob.frames);
    assertEquals(List.of("bob"), room.onlineUsers());
  }

  @Test
  void aUserOnlineElsewhereIsNotAnnouncedAgainWhenTheyJoinHereToo() {
    List<String> told = new ArrayList<>();
    Room shared =
        new Room(
            "general",
            "general",
            false,
            "system",
            0,
            0,
            (r, user, online) -> told.add(user + (online ? " on" : " off")));
    Recorder bob = new Recorder("bob");
    shared.release(shared.subscribe(bob, b("bob joined")), 0, (s, o, l) -> b("joined"));
    shared.remoteOnline("alice", "node-a", true, b("alice joined"));
    Recorder alice = new Recorder("alice");
    shared.release(shared.subscribe(alice, b("alice joined here")), 0, (s, o, l) -> b("joined"));
    shared.unsubscribe(alice, b("alice left here"));

    assertEquals(List.of("joined", "alice joined"), bob.frames);
    assertEquals(List.of("bob on", "alice on", "alice off"), told);
  }
}
