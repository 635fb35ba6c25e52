package dev.jchat.internal.cluster;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The bus between nodes, on Redis: one pub/sub channel for {@link BusEvent}s, plus each node's
 * presence hash and heartbeat key. Redis is only a fast path; nothing here waits for it on behalf
 * of a client.
 *
 * <p>Threads and connections: a publisher thread owns one connection and sends what {@link
 * #publish} and {@link #presence} queued (a bounded queue; when it is full or Redis fails, events
 * are dropped and counted, and the presence hash is rewritten once Redis answers again); a
 * subscriber thread owns another and hands every event of another node to the {@link Listener}; the
 * caller's own thread (the cluster's timer) uses a third through {@link #call}. Each connects
 * again, with a growing pause of up to 2 s, after a failure.
 */
final class RedisBus implements AutoCloseable {
  private static final Logger LOG = System.getLogger(RedisBus.class.getName());
  static final String CHANNEL = "jchat:events";
  private static final byte[] CHANNEL_BYTES = CHANNEL.getBytes(StandardCharsets.UTF_8);
  static final int TIMEOUT_MILLIS = 2000;
  private static final int QUEUE = 16 * 1024;
  private static final int PIPELINE = 256;
  private static final long MAX_PAUSE_MILLIS = 2000;

  /** Hears the bus on the subscriber thread; must return quickly. */
  interface Listener {
    /** An event of another node. */
    void received(BusEvent event);

    /** The subscription began, first or again: whatever was published meanwhile is lost. */
    void connected();
  }

  /** One thing the publisher does with its connection, in order with the others. */
  @FunctionalInterface
  interface Op {
    void run(Pipeline p);
  }

  private static final Op STOP = p -> {};

  private final URI uri;
  private final String node;
  private final BlockingQueue<Op> queue = new ArrayBlockingQueue<>(QUEUE);
  private final AtomicLong dropped = new AtomicLong();
  private final Runnable rewritePresence;
  private volatile boolean closed;
  private volatile boolean presenceLost = true; // written by the first heartbeat
  private final Thread publisher;
  private final Thread subscriber;
  private volatile Jedis subscriberConnection;
  private volatile boolean subscribed; // written by the subscriber thread
  private Jedis callConnection; // the caller's thread only
  private final Listener listener;

  /**
   * @param rewritePresence queues a rewrite of this node's presence hash (after a loss)
   */
  RedisBus(URI uri, String node, Listener listener, Runnable rewritePresence) {
    this.uri = uri;
    this.node = node;
    this.listener = listener;
    this.rewritePresence = rewritePresence;
    this.publisher = new Thread(this::runPublisher, "chat-bus-publisher");
    this.subscriber = new Thread(this::runSubscriber, "chat-bus-subscriber");
    publisher.setDaemon(true);
    subscriber.setDaemon(true);
  }

  /**
   * Checks that Redis answers, then starts the threads; a bus that is down at start is an error.
   */
  void start() {
    try (Jedis j = connect(TIMEOUT_MILLIS)) {
      j.ping();
    } catch (JedisException e) {
      throw new IllegalStateException(
          "cannot reach the bus at " + describe() + ": " + e.getMessage(), e);
    }
    publisher.start();
    subscriber.start();
  }

  /** The Redis address without a password, for logs. */
  String describe() {
    return uri.getScheme()
        + "://"
        + uri.getHost()
        + ":"
        + (uri.getPort() < 0 ? 6379 : uri.getPort());
  }

  String node() {
    return node;
  }

  /** Queues an event for the other nodes; never waits. It is encoded on the publisher thread. */
  void publish(BusEvent event) {
    offer(p -> p.publish(CHANNEL_BYTES, event.encode()));
  }

  /** Queues a change of this node's presence hash and its event; never waits. */
  void presence(String room, String user, boolean online) {
    String field = PresenceView.field(room, user);
    byte[] payload = BusEvent.presence(node, room, user, online).encode();
    offer(
        p -> {
          if (online) {
            p.hset(PresenceView.hashKey(node), field, "1");
          } else {
            p.hdel(PresenceView.hashKey(node), field);
          }
          p.publish(CHANNEL_BYTES, payload);
        });
  }

  /** Queues a replacement of this node's whole presence hash, in order with the changes. */
  void rewrite(Map<String, String> fields) {
    offer(
        p -> {
          String key = PresenceView.hashKey(node);
          p.del(key);
          p.hset(key, fields);
          p.pexpire(key, PresenceView.TTL_MILLIS);
          p.publish(CHANNEL_BYTES, BusEvent.rewritten(node).encode());
        });
  }

  private void offer(Op op) {
    if (closed || !queue.offer(op)) {
      lost();
    }
  }

  /** Whether events were lost since the last call: then the presence hash is rewritten. */
  boolean takePresenceLost() {
    boolean was = presenceLost;
    presenceLost = false;
    return was;
  }

  long dropped() {
    return dropped.get();
  }

  /** Whether the subscription is up (as far as this node can tell: a paused Redis looks up). */
  boolean subscribed() {
    return subscribed;
  }

  private void lost() {
    dropped.incrementAndGet();
    presenceLost = true;
  }

  /**
   * Runs {@code command} on the caller's own connection, connecting first if needed. Call from one
   * thread only (the cluster's timer).
   *
   * @throws JedisException when Redis fails; the next call connects again
   */
  <T> T call(Function<Jedis, T> command) {
    if (callConnection == null) {
      callConnection = connect(TIMEOUT_MILLIS);
    }
    try {
      return command.apply(callConnection);
    } catch (JedisException e) {
      callConnection.close();
      callConnection = null;
      throw e;
    }
  }

  private Jedis connect(int readTimeoutMillis) {
    return new Jedis(uri, TIMEOUT_MILLIS, readTimeoutMillis);
  }

  private void runPublisher() {
    List<Op> batch = new ArrayList<>(PIPELINE);
    Jedis jedis = null;
    long pause = 0;
    while (true) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        break;
      }
      queue.drainTo(batch, PIPELINE - 1);
      int stop = batch.indexOf(STOP);
      if (stop >= 0) {
        batch.subList(stop, batch.size()).clear(); // what came before it is still sent
      }
      try {
        if (jedis == null) {
          jedis = connect(TIMEOUT_MILLIS);
          rewritePresence.run(); // queued behind this batch: the hash may be gone
        }
        Pipeline p = jedis.pipelined();
        for (Op op : batch) {
          op.run(p);
        }
        p.sync();
        pause = 0;
      } catch (JedisException e) {
        for (int i = 0; i < batch.size(); i++) {
          lost();
        }
        if (jedis != null) {
          jedis.close();
          jedis = null;
        }
        pause = nextPause(pause);
        LOG.log(
            pause == 100 ? Level.WARNING : Level.DEBUG,
            "bus "
                + describe()
                + " failed, "
                + e.getMessage()
                + "; events are dropped until it"
                + " answers (the store makes up for them)");
        if (!pauseUnlessClosed(pause)) {
          break;
        }
      } catch (RuntimeException e) { // a bug, not Redis: keep the thread
        for (int i = 0; i < batch.size(); i++) {
          lost();
        }
        LOG.log(Level.ERROR, "bus events could not be sent", e);
      }
      if (stop >= 0) {
        break;
      }
      batch.clear();
    }
    if (jedis != null) {
      jedis.close();
    }
  }

  private void runSubscriber() {
    long pause = 0;
    while (!closed) {
      try (Jedis jedis = connect(0)) {
        subscriberConnection = jedis;
        jedis.subscribe(new Events(), CHANNEL);
      } catch (JedisException e) {
        if (closed) {
          break;
        }
        pause = subscribed ? 100 : nextPause(pause); // the first failure of an outage warns
        subscribed = false;
        LOG.log(
            Level.WARNING, "bus " + describe() + " lost, " + e.getMessage() + "; resubscribing");
      }
      if (!pauseUnlessClosed(pause)) {
        break;
      }
    }
  }

  /** What the subscription hears. */
  private final class Events extends JedisPubSub {
    @Override
    public void onSubscribe(String channel, int subscribedChannels) {
      subscribed = true;
      LOG.log(Level.INFO, "bus " + describe() + " subscribed as node " + node);
      listener.connected();
    }

    @Override
    public void onMessage(String channel, String message) {
      BusEvent event = BusEvent.decode(message.getBytes(StandardCharsets.UTF_8));
      if (event != null && !event.node().equals(node)) {
        try {
          listener.received(event);
        } catch (RuntimeException e) {
          LOG.log(Level.ERROR, "bus event " + event.type() + " failed", e);
        }
      }
    }
  }

  private static long nextPause(long pause) {
    return pause == 0 ? 100 : Math.min(MAX_PAUSE_MILLIS, pause * 2);
  }

  private boolean pauseUnlessClosed(long millis) {
    if (closed) {
      return false;
    }
    try {
      TimeUnit.MILLISECONDS.sleep(millis); // a back-off between reconnects, not synchronisation
      return !closed;
    } catch (InterruptedException e) {
      return false;
    }
  }

  /**
   * Stops the threads. What is still queued is sent first, within the connection's timeouts, and
   * then this node's keys are deleted, so that the others take its users offline at once.
   */
  @Override
  public void close() {
    Op goodbye =
        p -> {
          p.del(PresenceView.hashKey(node));
          p.zrem(PresenceView.NODES, node);
          p.publish(CHANNEL_BYTES, BusEvent.nodeGone(node).encode());
        };
    if (!queue.offer(goodbye) || !queue.offer(STOP)) {
      queue.clear();
      queue.offer(STOP);
    }
    closed = true;
    Jedis sub = subscriberConnection;
    if (sub != null) {
      sub.disconnect(); // ends the blocking subscribe
    }
    subscriber.interrupt();
    join(publisher);
    join(subscriber);
    if (callConnection != null) {
      callConnection.close();
    }
  }

  private static void join(Thread t) {
    try {
      t.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
