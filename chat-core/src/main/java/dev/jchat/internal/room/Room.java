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
    if (!admits(subscriber.userId())) {
      return null; // removed from a private room between the caller's check and now
    }
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
   * Second step of a join, under the room's lock. Messages held back for the joiner that history
   * did not carry (they were committed after it was read) are handed to {@code joined}, which puts
   * them at the end of the history it sends, so the cursor it carries is exact: everything up to it
   * is in that frame (or reachable by paging) and the first live frame after it is the next seq.
   * The subscription is live from here on.
   *
   * @param historyMaxSeq the highest seq the history read carried (or the joiner already had)
   */
  public synchronized void release(Subscription sub, long historyMaxSeq, JoinedFrame joined) {
    if (subscriptions.get(sub.subscriber()) != sub) {
      return; // left meanwhile
    }
    List<byte[]> late = new ArrayList<>();
    long lastSeq = sub.release(historyMaxSeq, late);
    sub.subscriber().deliver(joined.encode(lastSeq, onlineUsers(), late));
  }

  /**
   * Takes {@code userId} out of the members and ends every subscription of theirs, atomically with
   * respect to {@link #subscribe} and fan-out: each of their subscribers gets {@code leftFrame} and
   * from then on nothing of this room. The others get presence {@code leave} if the user was online
   * here.
   *
   * @return whether the user was a member
   */
  public synchronized boolean removeMember(String userId, byte[] leftFrame, byte[] presenceLeave) {
    boolean wasMember = members.remove(userId);
    List<Subscriber> evicted = new ArrayList<>();
    for (Subscriber s : subscriptions.keySet()) {
      if (s.userId().equals(userId)) {
        evicted.add(s);
      }
    }
    for (Subscriber s : evicted) {
      subscriptions.remove(s);
      s.deliver(leftFrame);
    }
    if (online.remove(userId) != null) {
      sendToOthers(userId, presenceLeave);
    }
    return wasMember;
  }

  /** Ends a subscription; the last one of a user sends presence {@code leave} to the others. */
  public synchronized boolean unsubscribe(Subscriber subscriber, byte[] presenceLeave) {
    if (subscriptions.remove(subscriber) == null) {
      return false;
    }
    if (online.merge(subscriber.userId(), -1, Integer::sum) == 0) {
      online.remove(subscriber.userId());
      sendToOthers(subscriber.userId(), presenceLeave);
    }
    return true;
  }

  public synchronized boolean isSubscribed(Subscriber subscriber) {
    return subscriptions.containsKey(subscriber);
  }

  /**
   * Sends a committed message (encoded once) to every subscriber; called in seq order. Returns the
   * number of subscribers it was offered to.
   */
  public synchronized int fanOut(long seq, byte[] frame) {
    if (seq > lastDeliveredSeq) {
      lastDeliveredSeq = seq;
    }
    for (Subscription sub : subscriptions.values()) {
      if (!sub.offer(seq, frame)) {
        sub.subscriber().overflowed();
      }
    }
    return subscriptions.size();
  }

  private void sendToOthers(String userId, byte[] frame) {
    for (Subscription sub : subscriptions.values()) {
      if (!sub.isHeld() && !sub.subscriber().userId().equals(userId)) {
        sub.subscriber().deliver(frame);
      }
    }
  }

  /** Builds the {@code joined} frame once the room's last seq and online list are fixed. */
  @FunctionalInterface
  public interface JoinedFrame {
    /**
     * @param lateFrames the live frames, in seq order, of messages newer than the history read;
     *     they belong at the end of the history
     */
    byte[] encode(long lastSeq, List<String> online, List<byte[]> lateFrames);
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
      if (seq <= shownUpTo) {
        return true;
      }
      if (held == null) {
        return subscriber.deliver(frame);
      }
      if (held.size() >= MAX_HELD) {
        return false;
      }
      held.add(new Held(seq, frame));
      return true;
    }

    /**
     * Goes live: collects the held frames newer than {@code historyMaxSeq} into {@code late} and
     * returns the seq the joiner has seen up to, from which on frames are delivered.
     */
    long release(long historyMaxSeq, List<byte[]> late) {
      long upTo = historyMaxSeq;
      for (Held h : held) {
        if (h.seq > upTo) {
          late.add(h.frame);
          upTo = h.seq;
        }
      }
      held = null;
      shownUpTo = upTo;
      return upTo;
    }

    private record Held(long seq, byte[] frame) {}
  }
}
