package dev.jchat.internal.room;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One room's live state: its settings, its members, who is subscribed and who is online.
 * Thread-safe: the subscriber set, the online counts and {@link #lastDeliveredSeq} change together
 * under this room's monitor, and fan-out happens under it too, so every subscriber sees frames in
 * {@code seq} order and a join can be made gap-free (see {@link #subscribe}).
 */
public final class Room {
  /** Frames a joiner may have held back while its history is read; past it, it overflows. */
  private static final int MAX_HELD = 10_000;

  private final String id;
  private final String name;
  private final boolean isPrivate;
  private final String createdBy;
  private final long createdAt;
  private final Set<String> members = ConcurrentHashMap.newKeySet();

  // guarded by this
  private final Map<Subscriber, Subscription> subscriptions = new HashMap<>();
  private final Map<String, Integer> online = new HashMap<>();
  private long lastDeliveredSeq;

  public Room(
      String id, String name, boolean isPrivate, String createdBy, long createdAt, long lastSeq) {
    this.id = id;
    this.name = name;
    this.isPrivate = isPrivate;
    this.createdBy = createdBy;
    this.createdAt = createdAt;
    this.lastDeliveredSeq = lastSeq;
  }

  public String id() {
    return id;
  }

  public String name() {
    return name;
  }

  public boolean isPrivate() {
    return isPrivate;
  }

  public String createdBy() {
    return createdBy;
  }

  public long createdAt() {
    return createdAt;
  }

  /** Stored members, kept in step with the database by the callers that change it. */
  public Set<String> members() {
    return members;
  }

  public boolean isMember(String userId) {
    return members.contains(userId);
  }

  /** May this user read and join the room? Public rooms: anyone signed in. */
  public boolean admits(String userId) {
    return !isPrivate || members.contains(userId);
  }

  public synchronized long lastDeliveredSeq() {
    return lastDeliveredSeq;
  }

  public synchronized int onlineCount() {
    return online.size();
  }

  public synchronized List<String> onlineUsers() {
    return new ArrayList<>(new TreeSet<>(online.keySet()));
  }

  /**
   * First step of a gap-free join: the subscriber becomes a member of the live stream, but frames
   * are held back for it. The caller then reads history from the database and calls {@link
   * #release}. Subscribing again (a repeated join) holds the existing subscription again without
   * any presence change.
   *
   * @param presenceJoin encodes the presence frame sent to the others when this is the user's first
   *     subscription here
   */
  public synchronized Subscription subscribe(Subscriber subscriber, byte[] presenceJoin) {
    Subscription existing = subscriptions.get(subscriber);
    if (existing != null) {
      existing.hold();
      return existing;
    }
    Subscription sub = new Subscription(subscriber);
    subscriptions.put(subscriber, sub);
    if (online.merge(subscriber.userId(), 1, Integer::sum) == 1) {
      sendToOthers(subscriber.userId(), presenceJoin);
    }
    return sub;
  }

  /**
   * Second step of a join: under the room's lock, sends the frame that {@code joined} builds from
   * the current last seq and online list, then the held frames newer than what history carried, and
   * makes the subscription live.
   */
  public synchronized void release(Subscription sub, long historyMaxSeq, JoinedFrame joined) {
    if (subscriptions.get(sub.subscriber()) != sub) return; // left meanwhile
    Subscriber s = sub.subscriber();
    s.deliver(joined.encode(lastDeliveredSeq, onlineUsers()));
    sub.release(historyMaxSeq);
  }

  /** Ends a subscription; the last one of a user sends presence {@code leave} to the others. */
  public synchronized boolean unsubscribe(Subscriber subscriber, byte[] presenceLeave) {
    if (subscriptions.remove(subscriber) == null) return false;
    if (online.merge(subscriber.userId(), -1, Integer::sum) == 0) {
      online.remove(subscriber.userId());
      sendToOthers(subscriber.userId(), presenceLeave);
    }
    return true;
  }

  public synchronized boolean isSubscribed(Subscriber subscriber) {
    return subscriptions.containsKey(subscriber);
  }

  /** Sends a committed message (encoded once) to every subscriber; called in seq order. */
  public synchronized void fanOut(long seq, byte[] frame) {
    if (seq > lastDeliveredSeq) lastDeliveredSeq = seq;
    for (Subscription sub : subscriptions.values()) {
      if (!sub.offer(seq, frame)) sub.subscriber().overflowed();
    }
  }

  private void sendToOthers(String userId, byte[] frame) {
    for (Subscription sub : subscriptions.values()) {
      if (!sub.isHeld() && !sub.subscriber().userId().equals(userId))
        sub.subscriber().deliver(frame);
    }
  }

  /** Builds the {@code joined} frame once the room's last seq and online list are fixed. */
  @FunctionalInterface
  public interface JoinedFrame {
    byte[] encode(long lastSeq, List<String> online);
  }

  /** One subscriber's place in the room; its held frames are guarded by the room. */
  public static final class Subscription {
    private final Subscriber subscriber;
    private List<Held> held;

    /**
     * Seqs up to this one reached the subscriber through history. A message committed before the
     * history read can still be on its way to fan-out when the join is released; it must not arrive
     * a second time.
     */
    private long shownUpTo;

    private Subscription(Subscriber subscriber) {
      this.subscriber = subscriber;
      hold();
    }

    Subscriber subscriber() {
      return subscriber;
    }

    boolean isHeld() {
      return held != null;
    }

    void hold() {
      held = new ArrayList<>();
    }

    boolean offer(long seq, byte[] frame) {
      if (seq <= shownUpTo) return true;
      if (held == null) return subscriber.deliver(frame);
      if (held.size() >= MAX_HELD) return false;
      held.add(new Held(seq, frame));
      return true;
    }

    void release(long historyMaxSeq) {
      List<Held> frames = held;
      held = null;
      shownUpTo = historyMaxSeq;
      for (Held h : frames) {
        if (h.seq > historyMaxSeq) subscriber.deliver(h.frame);
      }
    }

    private record Held(long seq, byte[] frame) {}
  }
}
