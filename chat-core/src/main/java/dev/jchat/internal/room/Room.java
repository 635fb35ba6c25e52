package dev.jchat.internal.room;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One room's live state: its settings, its members, who is subscribed and who is online.
 * Thread-safe: the subscriber set, the online counts and {@link #lastDeliveredSeq} change together
 * under this room's monitor, and fan-out happens under it too, so every subscriber sees frames in
 * {@code seq} order and a join can be made gap-free (see {@link #subscribe}).
 *
 * <p>Delivery is strictly in seq order: {@link #fanOut} delivers the next seq, drops one already
 * delivered and keeps one that comes early until the missing ones arrive. On one node the message
 * log commits and fans out in order, so nothing is ever early; with several nodes a message
 * committed elsewhere arrives over the bus and can overtake, or miss, one committed here, and the
 * caller fills the gap from the store ({@link #gap}).
 *
 * <p>Online counts the user's subscriptions here and, with several nodes, the other nodes where the
 * user is online in this room ({@link #remoteOnline}); presence frames go out when the user's state
 * across all nodes changes. Changes of this node's own subscribers are told to the {@link
 * LocalPresence}, which carries them to the other nodes.
 */
public final class Room {
  /** Frames a joiner may have held back while its history is read; past it, it overflows. */
  private static final int MAX_HELD = 10_000;

  /** Early frames kept while a gap is filled; past it they are dropped and read again. */
  private static final int MAX_EARLY = 10_000;

  /** Hears this node's own presence changes in a room, under the room's lock: must be quick. */
  @FunctionalInterface
  public interface LocalPresence {
    LocalPresence NONE = (room, userId, online) -> {};

    /** The user's first subscription here began ({@code online}) or their last one ended. */
    void changed(Room room, String userId, boolean online);
  }

  private final String id;
  private final String name;
  private final boolean isPrivate;
  private final String createdBy;
  private final long createdAt;
  private final Set<String> members = ConcurrentHashMap.newKeySet();
  private final LocalPresence localPresence;

  // guarded by this
  private final Map<Subscriber, Subscription> subscriptions = new HashMap<>();
  private final Map<String, Integer> online = new HashMap<>(); // subscriptions here, per user
  private final Map<String, Set<String>> remote = new HashMap<>(); // user -> other nodes online
  private final TreeMap<Long, byte[]> early = new TreeMap<>();
  private long lastDeliveredSeq;

  /** Whether {@code early} holds anything: read without the lock on every delivery. */
  private volatile boolean waiting;

  public Room(
      String id, String name, boolean isPrivate, String createdBy, long createdAt, long lastSeq) {
    this(id, name, isPrivate, createdBy, createdAt, lastSeq, LocalPresence.NONE);
  }

  /**
   * @param lastSeq the room's last committed seq: delivery continues with the next one
   */
  public Room(
      String id,
      String name,
      boolean isPrivate,
      String createdBy,
      long createdAt,
      long lastSeq,
      LocalPresence localPresence) {
    this.id = id;
    this.name = name;
    this.isPrivate = isPrivate;
    this.createdBy = createdBy;
    this.createdAt = createdAt;
    this.lastDeliveredSeq = lastSeq;
    this.localPresence = localPresence;
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
    return onlineSet().size();
  }

  /** Who is online here, on every node, sorted. */
  public synchronized List<String> onlineUsers() {
    return new ArrayList<>(onlineSet());
  }

  /** The users this node has subscribed here, sorted; what it tells the other nodes. */
  public synchronized List<String> localOnlineUsers() {
    return new ArrayList<>(new TreeSet<>(online.keySet()));
  }

  private TreeSet<String> onlineSet() {
    TreeSet<String> all = new TreeSet<>(online.keySet());
    all.addAll(remote.keySet());
    return all;
  }

  /**
   * Another node says the user came online here ({@code online}) or went offline. Idempotent per
   * node; the subscribers here hear {@code presenceFrame} when the user's state across all nodes
   * changes.
   */
  public synchronized void remoteOnline(
      String userId, String node, boolean isOnline, byte[] presenceFrame) {
    boolean here = online.containsKey(userId);
    if (isOnline) {
      Set<String> nodes = remote.computeIfAbsent(userId, u -> new HashSet<>());
      if (nodes.add(node) && nodes.size() == 1 && !here) {
        sendToOthers(userId, presenceFrame);
      }
      return;
    }
    Set<String> nodes = remote.get(userId);
    if (nodes == null || !nodes.remove(node)) {
      return;
    }
    if (nodes.isEmpty()) {
      remote.remove(userId);
      if (!here) {
        sendToOthers(userId, presenceFrame);
      }
    }
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
      localPresence.changed(this, subscriber.userId(), true);
      if (!remote.containsKey(subscriber.userId())) {
        sendToOthers(subscriber.userId(), presenceJoin);
      }
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
    boolean here = online.remove(userId) != null;
    if (here) {
      localPresence.changed(this, userId, false);
    }
    // the other nodes take them out too; their offline events then find nothing to change
    if (remote.remove(userId) != null || here) {
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
      localPresence.changed(this, subscriber.userId(), false);
      if (!remote.containsKey(subscriber.userId())) {
        sendToOthers(subscriber.userId(), presenceLeave);
      }
    }
    return true;
  }

  public synchronized boolean isSubscribed(Subscriber subscriber) {
    return subscriptions.containsKey(subscriber);
  }

  /**
   * Offers a committed message (encoded once) for delivery in seq order: the next seq goes to every
   * subscriber at once, followed by the early ones it unblocks; a seq already delivered is dropped;
   * a later one waits for the missing ones (see {@link #gap}). Returns how many frames were queued
   * on subscribers.
   */
  public synchronized int fanOut(long seq, byte[] frame) {
    if (seq <= lastDeliveredSeq) {
      return 0;
    }
    if (seq > lastDeliveredSeq + 1) {
      if (early.size() < MAX_EARLY) {
        early.put(seq, frame);
      }
      waiting = true;
      return 0;
    }
    int frames = deliver(seq, frame);
    if (waiting) {
      Map.Entry<Long, byte[]> next;
      while ((next = early.firstEntry()) != null && next.getKey() <= lastDeliveredSeq + 1) {
        early.pollFirstEntry();
        if (next.getKey() == lastDeliveredSeq + 1) {
          frames += deliver(next.getKey(), next.getValue());
        }
      }
      waiting = !early.isEmpty();
    }
    return frames;
  }

  /**
   * Whether messages wait behind a gap; cheap (no lock), for a check after every delivery. {@link
   * #gap} says where the gap starts.
   */
  public boolean hasGap() {
    return waiting;
  }

  private int deliver(long seq, byte[] frame) {
    lastDeliveredSeq = seq;
    for (Subscription sub : subscriptions.values()) {
      if (!sub.offer(seq, frame)) {
        sub.subscriber().overflowed();
      }
    }
    return subscriptions.size();
  }

  /**
   * The first seq missing before messages that came early, or 0 when nothing waits: the caller
   * reads from there on from the store and offers it to {@link #fanOut}.
   */
  public synchronized long gap() {
    return early.isEmpty() ? 0 : lastDeliveredSeq + 1;
  }

  /**
   * Moves delivery on to {@code storedLastSeq} when nobody here is subscribed, so that a room this
   * node only watches does not fall behind the store; returns whether it did (or had no need to).
   */
  public synchronized boolean advanceIfIdle(long storedLastSeq) {
    if (!subscriptions.isEmpty()) {
      return storedLastSeq <= lastDeliveredSeq;
    }
    if (storedLastSeq > lastDeliveredSeq) {
      lastDeliveredSeq = storedLastSeq;
      early.headMap(storedLastSeq, true).clear();
    }
    while (!early.isEmpty() && early.firstKey() == lastDeliveredSeq + 1) {
      lastDeliveredSeq = early.pollFirstEntry().getKey();
    }
    waiting = !early.isEmpty();
    return true;
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
