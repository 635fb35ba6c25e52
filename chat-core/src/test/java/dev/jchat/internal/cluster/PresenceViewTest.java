package dev.jchat.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.jchat.internal.store.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The other nodes' presence as events and snapshots change it, and the bus's JSON events. */
class PresenceViewTest {
  private final PresenceView view = new PresenceView();

  @Test
  void eventsReportOnlyRealChanges() {
    assertEquals(new PresenceView.Change("r", "alice", true), view.set("n1", "r", "alice", true));
    assertNull(view.set("n1", "r", "alice", true), "already online there");
    assertNull(view.set("n2", "r", "bob", false), "was not online there");
    assertEquals(new PresenceView.Change("r", "alice", false), view.set("n1", "r", "alice", false));
  }

  @Test
  void aSnapshotReplacesWhatWasKnownOfANodeAndReportsTheDifference() {
    view.set("n1", "r", "alice", true);
    view.set("n1", "r", "bob", true);
    List<PresenceView.Change> changes =
        view.replace(
            "n1",
            Set.of(
                PresenceView.MARKER,
                PresenceView.field("r", "bob"),
                PresenceView.field("s", "carol")));
    assertEquals(
        Set.of(
            new PresenceView.Change("r", "alice", false),
            new PresenceView.Change("s", "carol", true)),
        Set.copyOf(changes));
    assertEquals(List.of("bob"), view.users("n1", "r"));
  }

  @Test
  void aNodeThatIsGoneTakesAllItsUsersOffline() {
    view.set("n1", "r", "alice", true);
    view.set("n1", "s", "alice", true);
    view.set("n2", "r", "bob", true);
    assertEquals(
        Set.of(
            new PresenceView.Change("r", "alice", false),
            new PresenceView.Change("s", "alice", false)),
        Set.copyOf(view.drop("n1")));
    assertEquals(Set.of("n2"), view.nodes());
    assertEquals(List.of(), view.drop("n1"));
  }

  @Test
  void busEventsRoundTripAndForeignBytesAreIgnored() {
    BusEvent batch =
        BusEvent.messages("n1", List.of(new StoredMessage("r", 7, "alice", "hi \u00e9", 42)));
    BusEvent back = BusEvent.decode(batch.encode());
    assertEquals(batch, back);
    assertEquals(
        new StoredMessage("r", 7, "alice", "hi \u00e9", 42), back.messages().get(0).stored());
    assertEquals(
        BusEvent.logout("n2", "key"), BusEvent.decode(BusEvent.logout("n2", "key").encode()));
    assertNull(BusEvent.decode("not json".getBytes(StandardCharsets.UTF_8)));
    assertNull(BusEvent.decode("{\"type\":\"messages\"}".getBytes(StandardCharsets.UTF_8)));
  }
}
