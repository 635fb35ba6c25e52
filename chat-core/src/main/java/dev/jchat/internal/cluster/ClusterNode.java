package dev.jchat.internal.cluster;

import dev.jchat.internal.auth.LoginThrottle;
import dev.jchat.internal.auth.Throttle;
import dev.jchat.internal.room.Room;
import dev.jchat.internal.service.MembershipChanges;
import dev.jchat.internal.service.RoomDirectory;
import dev.jchat.internal.socket.ServerFrames;
import dev.jchat.internal.socket.SocketRegistry;
import dev.jchat.internal.store.MessageStore;
import dev.jchat.internal.store.StoreException;
import dev.jchat.internal.store.StoredMessage;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ZRangeParams;

/**
 * This server as one node of several on one PostgreSQL store, joined by a Redis bus (see
 * docs/scaling.md). It tells the other nodes what happened here (committed batches, presence,
 * logouts, membership and new rooms) and applies what they tell it; and since the bus may lose
 * anything, it makes good from the store what did not come: each second it compares every room's
 * last seq in the store with what was delivered here, reads what is missing, and loads rooms that
 * were created elsewhere.
 *
 * <p>Threads: batches from other nodes are delivered on the bus's subscriber thread (through the
 * {@link RoomFeed}, which keeps each room in seq order); everything else a node hears, the
 * heartbeat and the presence snapshots run on this node's timer thread, which owns the {@link
 * PresenceView} and never reads the store; the store sweep, and the events that may need a room
 * read from the store (membership, new rooms), run in order on a thread of their own, which owns
 * the record of rooms behind. The outgoing calls ({@link #committed}, {@link #changed}, ...) may
 * come from any thread and never wait for Redis.
 */
public final class ClusterNode implements AutoCloseable, Room.LocalPresence {
  private static final Logger LOG = System.getLogger(ClusterNode.class.getName());
  static final long SWEEP_MILLIS = 1000;

  /** Gone nodes are removed from {@code jchat:nodes} after this long; only tidiness. */
  private static final long FORGET_MILLIS = 60_000;

  private final String node;
  private final RedisBus bus;
  private final RoomFeed feed;
  private final MessageStore messages;
  private final SocketRegistry registry;
  private final IntConsumer delivered;
  private final PresenceView view = new PresenceView();
  private final ScheduledExecutorService timer = daemon("chat-cluster");

  /** The store sweep has a thread of its own, so that a Redis that hangs cannot delay it. */
  private final ScheduledExecutorService sweeper = daemon("chat-cluster-sweep");

  /** A Redis call failed since the last heartbeat: the others could not beat either. */
  private boolean busFailed; // timer thread

  private long beats; // timer thread

  /**
   * Every this many heartbeats (30 s) the others' presence is read again whole, which mends
   * whatever a lost event left wrong.
   */
  private static final int FULL_SNAPSHOT_BEATS = 15;

  /** Rooms found behind the store at the last sweep, with what they had delivered then. */
  private final Map<String, Long> behind = new HashMap<>(); // sweeper thread

  /** Pooled connections for the shared login throttle, which password threads call. */
  private final UnifiedJedis shared;

  private volatile RoomDirectory rooms; // set by start()
  private volatile MembershipChanges local; // set by start()

  /**
   * @param busUrl {@code redis://[:password@]host[:port][/db]}
   * @param delivered hears how many frames were queued on subscribers for other nodes' messages
   */
  public ClusterNode(
      URI busUrl,
      RoomFeed feed,
      MessageStore messages,
      SocketRegistry registry,
      IntConsumer delivered) {
    this.node = newNodeId();
    this.feed = feed;
    this.messages = messages;
    this.registry = registry;
    this.delivered = delivered;
    this.bus = new RedisBus(busUrl, node, new Inbox(), () -> timer.execute(this::rewritePresence));
    this.shared = RedisClient.create(busUrl);
  }

  /**
   * A failed-login throttle that every node counts together, falling back to {@code local} while
   * Redis does not answer.
   *
   * @param name tells this throttle's keys apart from another's
   */
  public Throttle sharedThrottle(
      String name, int maxFailures, long windowMillis, LoginThrottle local) {
    return new SharedThrottle(shared, name, maxFailures, windowMillis, local);
  }

  private static ScheduledExecutorService daemon(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }

  /** A bus URL as given on the command line; one-line errors for the obvious mistakes. */
  public static URI parseBusUrl(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bus: not a URL: " + e.getMessage());
    }
    if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
      throw new IllegalArgumentException("bus: expected redis://host[:port], got " + url);
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("bus: no host in " + url);
    }
    return uri;
  }

  private static String newNodeId() {
    byte[] b = new byte[6];
    new SecureRandom().nextBytes(b);
    StringBuilder s = new StringBuilder();
    for (byte x : b) {
      s.append(String.format("%02x", x));
    }
    return s.toString();
  }

  /** Events not carried to the other nodes (Redis down, or the queue full); for metrics. */
  public long droppedEvents() {
    return bus.dropped();
  }

  /** Whether this node hears the bus now; for metrics. */
  public boolean busUp() {
    return bus.subscribed();
  }

  /** This node's id on the bus, new at each start. */
  public String node() {
    return node;
  }

  /** Where the bus is, without a password. */
  public String describe() {
    return bus.describe();
  }

  /**
   * Connects to Redis (an error when it does not answer) and starts the heartbeat and the sweep.
   *
   * @param local brings a membership change from elsewhere to the sockets here
   */
  public void start(RoomDirectory rooms, MembershipChanges local) {
    this.rooms = rooms;
    this.local = local;
    bus.start();
    every(timer, PresenceView.HEARTBEAT_MILLIS, this::heartbeat);
    every(sweeper, SWEEP_MILLIS, this::sweep);
  }

  private void every(ScheduledExecutorService thread, long millis, Runnable chore) {
    thread.scheduleWithFixedDelay(guarded(chore), 0, millis, TimeUnit.MILLISECONDS);
  }

  /** A chore that fails is logged and done again next time; an executor would swallow it. */
  private Runnable guarded(Runnable chore) {
    return () -> {
      try {
        chore.run();
      } catch (JedisException e) {
        busFailed = true; // only the timer thread calls Redis
        LOG.log(Level.DEBUG, "bus chore failed: " + e.getMessage()); // the bus logs its state
      } catch (StoreException e) {
        LOG.log(Level.DEBUG, "store chore failed: " + e.getMessage()); // the store logs it
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "cluster chore failed; trying again later", e);
      }
    };
  }

  // ---- what happens here, told to the others ----

  /** A batch committed here, after its local fan-out; any thread (the writer). */
  public void committed(List<StoredMessage> batch) {
    bus.publish(BusEvent.messages(node, batch));
  }

  /** This node's presence in a room changed; under the room's lock, so only queued. */
  @Override
  public void changed(Room room, String userId, boolean online) {
    bus.presence(room.id(), userId, online);
  }

  /** A session logged out here; its sockets on the other nodes close too. */
  public void loggedOut(String sessionKey) {
    bus.publish(BusEvent.logout(node, sessionKey));
  }

  /** Wraps the local membership changes so that the other nodes hear them too. */
  public MembershipChanges telling(MembershipChanges here) {
    return new MembershipChanges() {
      @Override
      public void added(Room room, String userId, String by) {
        here.added(room, userId, by);
        bus.publish(BusEvent.membership(node, "added", room.id(), userId, by));
      }

      @Override
      public void removed(Room room, String userId, String by) {
        here.removed(room, userId, by);
        bus.publish(BusEvent.membership(node, "removed", room.id(), userId, by));
      }

      @Override
      public void joined(Room room, String userId) {
        here.joined(room, userId);
        bus.publish(BusEvent.membership(node, "member", room.id(), userId, null));
      }

      @Override
      public void created(Room room) {
        here.created(room);
        bus.publish(BusEvent.roomCreated(node, room.id()));
      }
    };
  }

  // ---- what the others tell this node ----

  private final class Inbox implements RedisBus.Listener {
    @Override
    public void received(BusEvent event) {
      if ("messages".equals(event.type())) {
        deliver(event); // at once, on this thread: the feed keeps the order
      } else {
        run(() -> apply(event));
      }
    }

    @Override
    public void connected() {
      run(ClusterNode.this::resync);
      run(sweeper, ClusterNode.this::sweep); // messages published meanwhile are lost
    }
  }

  private void run(Runnable task) {
    run(timer, task);
  }

  private void run(ScheduledExecutorService thread, Runnable task) {
    try {
      thread.execute(guarded(task));
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  private void deliver(BusEvent event) {
    if (event.messages() == null) {
      return;
    }
    int frames = 0;
    for (BusEvent.Message m : event.messages()) {
      Room room = rooms.find(m.room()).orElse(null);
      if (room != null) { // a room not loaded here yet is loaded with its last seq by the sweep
        frames += feed.deliver(room, m.stored());
      }
    }
    delivered.accept(frames);
  }

  private void apply(BusEvent e) {
    switch (e.type()) {
      case "online", "offline" -> {
        if (e.room() != null && e.user() != null) {
          PresenceView.Change c = view.set(e.node(), e.room(), e.user(), "online".equals(e.type()));
          if (c != null) {
            show(e.node(), c);
          }
        }
      }
      case "gone" -> view.drop(e.node()).forEach(c -> show(e.node(), c));
      case "rewritten" -> snapshot(e.node());
      case "logout" -> {
        if (e.key() != null) {
          registry.loggedOut(e.key());
        }
      }
      // these may read the store (a room new here): on the store's thread, in their order
      case "added", "removed", "member" -> run(sweeper, () -> membership(e));
      case "room" -> {
        if (e.room() != null) {
          run(sweeper, () -> rooms.loadRoom(e.room()));
        }
      }
      default -> LOG.log(Level.DEBUG, "unknown bus event " + e.type());
    }
  }

  private void membership(BusEvent e) {
    if (e.room() == null || e.user() == null) {
      return;
    }
    Room room = rooms.loadRoom(e.room()); // known, or read from the store
    if (room == null) {
      return;
    }
    switch (e.type()) {
      case "added" -> {
        if (room.members().add(e.user())) {
          local.added(room, e.user(), e.by());
        }
      }
      case "removed" -> local.removed(room, e.user(), e.by());
      default -> room.members().add(e.user());
    }
  }

  /** The directory loaded a room another node created (any thread): it hears who is online. */
  public void loadedHere(Room room) {
    run(() -> seedPresence(room));
  }

  /** A room new here hears who is online in it on the other nodes. */
  private void seedPresence(Room room) {
    for (String other : view.nodes()) {
      for (String user : view.users(other, room.id())) {
        room.remoteOnline(user, other, true, ServerFrames.presence(room.id(), user, "join"));
      }
    }
  }

  private void show(String fromNode, PresenceView.Change c) {
    rooms
        .find(c.room())
        .ifPresent(
            room ->
                room.remoteOnline(
                    c.user(),
                    fromNode,
                    c.online(),
                    ServerFrames.presence(c.room(), c.user(), c.online() ? "join" : "leave")));
  }

  // ---- chores on the timer thread ----

  /**
   * Renews this node's keys, rewrites its presence hash when it was lost (Redis restarted, events
   * dropped), drops the nodes whose heartbeat expired and reads the presence of nodes new to this
   * one. After Redis failed, the others get one heartbeat's time to beat again before any is
   * dropped: they could not beat either.
   */
  private void heartbeat() {
    String hash = PresenceView.hashKey(node);
    long now = System.currentTimeMillis();
    boolean hashThere =
        bus.call(
            j -> {
              j.zadd(PresenceView.NODES, now, node);
              j.zremrangeByScore(PresenceView.NODES, 0, now - FORGET_MILLIS);
              return j.pexpire(hash, PresenceView.TTL_MILLIS) == 1;
            });
    if (!hashThere || bus.takePresenceLost()) {
      rewritePresence();
    }
    if (busFailed) {
      busFailed = false;
      return;
    }
    Set<String> alive = aliveNodes();
    for (String known : view.nodes()) {
      if (!alive.contains(known)) {
        LOG.log(Level.INFO, "node " + known + " stopped beating; its users are offline");
        view.drop(known).forEach(c -> show(known, c));
      }
    }
    boolean all = ++beats % FULL_SNAPSHOT_BEATS == 0;
    for (String other : alive) {
      if (all || !view.nodes().contains(other)) {
        snapshot(other);
      }
    }
  }

  private Set<String> aliveNodes() {
    long since = System.currentTimeMillis() - PresenceView.TTL_MILLIS;
    Set<String> alive =
        new HashSet<>(
            bus.call(
                j ->
                    j.zrange(
                        PresenceView.NODES,
                        ZRangeParams.zrangeByScoreParams(since, Double.MAX_VALUE))));
    alive.remove(node);
    return alive;
  }

  /** Reads one node's presence hash and makes the view and the rooms agree with it. */
  private void snapshot(String other) {
    Map<String, String> fields = bus.call(j -> j.hgetAll(PresenceView.hashKey(other)));
    view.replace(other, fields.keySet()).forEach(c -> show(other, c));
  }

  /** After the subscription began again: presence published meanwhile is lost. */
  private void resync() {
    Set<String> alive = aliveNodes();
    for (String other : alive) {
      snapshot(other);
    }
    for (String known : view.nodes()) {
      if (!alive.contains(known)) {
        view.drop(known).forEach(c -> show(known, c));
      }
    }
  }

  /** Queues this node's whole presence, from the rooms themselves. */
  private void rewritePresence() {
    Map<String, String> fields = new HashMap<>();
    fields.put(PresenceView.MARKER, "1");
    RoomDirectory r = rooms;
    if (r != null) {
      for (Room room : r.all()) {
        for (String user : room.localOnlineUsers()) {
          fields.put(PresenceView.field(room.id(), user), "1");
        }
      }
    }
    bus.rewrite(fields);
  }

  /**
   * Compares every room's last seq in the store with what this node delivered: rooms it does not
   * know are loaded; rooms nobody here watches move on; rooms still behind since the last sweep
   * have lost messages on the bus, and read them from the store.
   */
  private void sweep() {
    Map<String, Long> stored = messages.lastSeqs();
    Map<String, Long> stillBehind = new HashMap<>();
    for (Map.Entry<String, Long> e : stored.entrySet()) {
      Room room = rooms.find(e.getKey()).orElse(null);
      if (room == null) {
        rooms.loadRoom(e.getKey()); // created elsewhere, and its bus event was lost
        continue;
      }
      if (room.advanceIfIdle(e.getValue())) {
        continue;
      }
      long at = room.lastDeliveredSeq();
      Long before = behind.get(room.id());
      if (before != null && before == at) {
        feed.catchUp(room);
      }
      stillBehind.put(room.id(), at);
    }
    behind.clear();
    behind.putAll(stillBehind);
  }

  /** Leaves the bus: the other nodes take this node's users offline at once. */
  @Override
  public void close() {
    sweeper.shutdownNow();
    timer.shutdownNow();
    bus.close();
    shared.close();
  }
}
