package dev.jchat.internal.server;

import dev.jchat.ChatException;
import dev.jchat.ChatMessage;
import dev.jchat.internal.auth.LoginThrottle;
import dev.jchat.internal.auth.PasswordHasher;
import dev.jchat.internal.cluster.ClusterNode;
import dev.jchat.internal.cluster.RoomFeed;
import dev.jchat.internal.json.MessageJson;
import dev.jchat.internal.metrics.ChatMeters;
import dev.jchat.internal.reactor.Acceptor;
import dev.jchat.internal.reactor.AddressLimit;
import dev.jchat.internal.reactor.EventLoop;
import dev.jchat.internal.reactor.OpenFiles;
import dev.jchat.internal.rest.RestApi;
import dev.jchat.internal.room.Room;
import dev.jchat.internal.service.Accounts;
import dev.jchat.internal.service.ApiError;
import dev.jchat.internal.service.LimitCounters;
import dev.jchat.internal.service.MembershipChanges;
import dev.jchat.internal.service.Messaging;
import dev.jchat.internal.service.RateLimiter;
import dev.jchat.internal.service.RoomDirectory;
import dev.jchat.internal.service.Validation;
import dev.jchat.internal.socket.SocketCommands;
import dev.jchat.internal.socket.SocketGateway;
import dev.jchat.internal.socket.SocketMembership;
import dev.jchat.internal.socket.SocketRegistry;
import dev.jchat.internal.socket.SocketSettings;
import dev.jchat.internal.store.ChatStore;
import dev.jchat.internal.store.Database;
import dev.jchat.internal.store.MessageLog;
import dev.jchat.internal.store.MessageStore;
import dev.jchat.internal.store.NewestMessages;
import dev.jchat.internal.store.PostgresStore;
import dev.jchat.internal.store.StoreException;
import dev.jchat.internal.store.StoreUnavailableException;
import dev.jchat.internal.store.StoredMessage;
import dev.jchat.internal.store.UnknownRoomException;
import dev.jchat.internal.web.StaticFiles;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A running server: builds every part from the settings, starts them in dependency order and stops
 * them in reverse. Owned by {@link dev.jchat.ChatServer}; start and close are called once.
 */
public final class ServerRuntime {
  private static final int LOG_QUEUE = 64 * 1024;
  private static final int LOG_BATCH = 1024;

  /** A client address may fail this many times as often as one user id from it. */
  private static final int ADDRESS_LOGIN_FACTOR = 20;

  private static final long LOGIN_WINDOW_MILLIS = TimeUnit.MINUTES.toMillis(15);

  /** Sign-ups and logins that may wait for a password thread, per thread, by default. */
  private static final int PASSWORD_QUEUE_PER_THREAD = 64;

  private final ServerSettings settings;
  private final ChatStore db;
  private final MessageLog log;
  private final RoomFeed feed;
  private final ClusterNode cluster; // null for a single node
  private final SocketMembership localMembership;
  private final RoomDirectory rooms;
  private final Messaging messaging;
  private final SocketRegistry registry = new SocketRegistry();
  private final ThreadPoolExecutor workers;
  private final ThreadPoolExecutor passwords;
  private final Accounts accounts;
  private final ChatMeters meters;
  private final LimitCounters limits;
  private final Housekeeping housekeeping;
  private final HttpRouting routing;
  private final AccessLog accessLog;
  private final List<EventLoop> loops = new ArrayList<>();
  private final AtomicInteger openConnections = new AtomicInteger();
  private Acceptor acceptor;

  private ServerRuntime(ServerSettings s, ChatStore db) throws IOException {
    this.settings = s;
    this.db = db;
    this.meters =
        new ChatMeters(
            s.meterRegistry() == null ? new CompositeMeterRegistry() : s.meterRegistry());
    this.limits = new LimitCounters(meters::limited);
    this.log = new MessageLog(db, LOG_QUEUE, LOG_BATCH, System::currentTimeMillis);
    this.feed = new RoomFeed(db.messages(), meters::delivered);
    this.cluster =
        s.bus() == null
            ? null
            : new ClusterNode(s.bus(), feed, db.messages(), registry, meters::delivered);
    this.localMembership = new SocketMembership(registry);
    Consumer<Room> loadedLater = loadedLater(db, cluster);
    MessageStore messages = db.messages();
    NewestMessages newest = null;
    if (loadedLater == null && s.historyMemoryBytes() > 0) { // this server is the one writer
      long perRoom = Math.max(1, s.historyMemoryBytes() / 16);
      newest = new NewestMessages(messages, s.historyMemoryBytes(), perRoom, MessageJson::bytes);
      log.keepNewest(newest);
      messages = newest;
    }
    MembershipChanges changes =
        cluster == null ? localMembership : cluster.telling(localMembership);
    this.rooms =
        new RoomDirectory(
            db.rooms(),
            db.users(),
            messages,
            log,
            System::currentTimeMillis,
            changes,
            RateLimiter.perHour(s.limits().roomsPerHour(), System::nanoTime),
            limits,
            cluster == null ? Room.LocalPresence.NONE : cluster,
            loadedLater);
    this.messaging =
        new Messaging(
            log,
            s.listener(),
            new RateLimiter(s.rateLimit(), System::nanoTime),
            s.maxTextLength(),
            limits);
    int failures = s.limits().loginFailures();
    int addressFailures = failures * ADDRESS_LOGIN_FACTOR;
    LoginThrottle perUser = new LoginThrottle(failures, LOGIN_WINDOW_MILLIS, 100_000);
    LoginThrottle perAddress = new LoginThrottle(addressFailures, LOGIN_WINDOW_MILLIS, 10_000);
    this.accounts =
        new Accounts(
            db.users(),
            db.sessions(),
            new PasswordHasher(s.passwordIterations()),
            cluster == null
                ? perUser
                : cluster.sharedThrottle("user", failures, LOGIN_WINDOW_MILLIS, perUser),
            cluster == null
                ? perAddress
                : cluster.sharedThrottle(
                    "address", addressFailures, LOGIN_WINDOW_MILLIS, perAddress),
            RateLimiter.perHour(s.limits().signupsPerHour(), System::nanoTime),
            s.limits().maxSessionsPerUser(),
            limits,
            s.tokenTtl(),
            System::currentTimeMillis,
            this::loggedOut);
    // unbounded in type, bounded in fact: each connection has at most one task queued at a time
    this.workers =
        new ThreadPoolExecutor(
            s.workers(),
            s.workers(),
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            named("chat-worker"));
    // Password hashing is slow by design; its own bounded pool keeps a flood of sign-ups or
    // logins from taking the workers that serve everyone else.
    int hashers = s.limits().passwordThreads();
    this.passwords =
        new ThreadPoolExecutor(
            hashers,
            hashers,
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(
                s.limits().passwordQueue() > 0
                    ? s.limits().passwordQueue()
                    : hashers * PASSWORD_QUEUE_PER_THREAD),
            named("chat-password"),
            new ThreadPoolExecutor.AbortPolicy());
    SocketSettings socketSettings =
        new SocketSettings(
            s.maxMessageBytes(),
            s.helloTimeout().toNanos(),
            s.pingInterval().toNanos(),
            s.historyCap(),
            s.serverName(),
            s.limits().readsPerSecond());
    SocketCommands commands =
        new SocketCommands(accounts, rooms, messaging, registry, socketSettings, limits, meters);
    SocketGateway gateway =
        new SocketGateway(commands, registry, socketSettings, workers, meters::slowConsumerClosed);
    this.routing =
        new HttpRouting(
            new RestApi(
                accounts,
                rooms,
                new RateLimiter(s.limits().readsPerSecond(), System::nanoTime),
                limits,
                db.health(),
                meters),
            gateway,
            workers,
            passwords,
            limits,
            s.allowedOrigins(),
            s.maxHeaderBytes(),
            s.maxBodyBytes(),
            s.limits().requestTimeout().toNanos(),
            s.web() ? StaticFiles.load() : null);
    this.accessLog = new AccessLog(s.accessLog());
    this.housekeeping =
        new Housekeeping(registry, accounts, limits, new AdminWatch(db.adminEvents(), registry));
    log.setBatchListener(
        new Broadcaster(
            rooms, s.listener(), meters, feed, cluster == null ? batch -> {} : cluster::committed));
    meters.gauge(
        "chat.connections.open", "Open TCP connections (HTTP and WebSocket)", openConnections::get);
    meters.gauge("chat.sockets.open", "Open chat sockets", registry::size);
    if (newest != null) {
      meters.gauge(
          "chat.history.memory",
          "Estimated heap bytes of the newest messages kept for reads",
          newest::heldBytes);
    }
    meters.counter(
        "chat.gap.fills",
        "Messages read from the store because the bus did not bring them (several nodes)",
        feed::filled);
    if (cluster != null) {
      meters.counter(
          "chat.bus.dropped",
          "Events not carried to the other nodes: Redis down or the queue full",
          cluster::droppedEvents);
      meters.gauge("chat.bus.up", "1 while this node hears the bus", () -> cluster.busUp() ? 1 : 0);
    }
    meters.gauge(
        "chat.outbound.backlog",
        "Bytes queued for chat sockets and not yet written, summed when scraped",
        registry::backlogBytes);
  }

  /** Opens the database, loads the rooms, binds the port and starts every thread. */
  public static ServerRuntime start(ServerSettings s) throws IOException {
    ChatStore db = openStore(s);
    ServerRuntime runtime;
    try {
      runtime = new ServerRuntime(s, db);
      runtime.rooms.load(s.rooms());
      runtime.log.start();
      if (runtime.cluster != null) {
        runtime.cluster.start(runtime.rooms, runtime.localMembership);
      }
      runtime.startNetwork();
    } catch (IOException | RuntimeException e) {
      db.close();
      throw e;
    }
    return runtime;
  }

  /**
   * What to do with a room another process created, loaded here later; null when nothing else
   * writes to the store (SQLite). PostgreSQL may be shared with other servers even without a bus (a
   * client that fails over to another server on the same database), so a room's last seq and its
   * existence are then always read from the store.
   */
  private static Consumer<Room> loadedLater(ChatStore db, ClusterNode cluster) {
    if (cluster != null) {
      return cluster::loadedHere;
    }
    return db instanceof PostgresStore ? room -> {} : null;
  }

  /** A session logged out: its sockets here close, and on the other nodes. */
  private void loggedOut(String sessionKey) {
    registry.loggedOut(sessionKey);
    if (cluster != null) {
      cluster.loggedOut(sessionKey);
    }
  }

  /** The bus's address and this node's id on it; null for a single node. */
  public String bus() {
    return cluster == null ? null : cluster.describe() + " as node " + cluster.node();
  }

  private static ChatStore openStore(ServerSettings s) {
    if (s.dataSource() != null) {
      return PostgresStore.open(s.dataSource(), PostgresStore.DEFAULT_POOL_SIZE);
    }
    if (s.postgres() != null) {
      return PostgresStore.open(s.postgres(), PostgresStore.DEFAULT_POOL_SIZE);
    }
    return s.inMemory() ? Database.openTemporary() : Database.open(s.database(), s.fsync());
  }

  /** Where the data lives: the SQLite file, or the PostgreSQL URL without its password. */
  public String database() {
    return db.describe();
  }

  private void startNetwork() throws IOException {
    try {
      for (int i = 0; i < settings.ioThreads(); i++) {
        EventLoop loop = new EventLoop("chat-io-" + i, openConnections);
        loops.add(loop);
      }
      acceptor =
          Acceptor.bind(
              new InetSocketAddress(settings.host(), settings.port()),
              loops,
              () -> new HttpHandler(routing, accessLog),
              openConnections,
              OpenFiles.connectionCap(settings.maxConnections()),
              new AddressLimit(settings.limits().maxConnectionsPerAddress()),
              reason -> limits.tripped(reason),
              settings.outboundLimitBytes());
    } catch (IOException e) {
      log.close();
      if (cluster != null) {
        cluster.close();
      }
      feed.close();
      workers.shutdownNow();
      passwords.shutdownNow();
      throw e;
    }
    loops.forEach(EventLoop::start);
    acceptor.start();
    housekeeping.start();
  }

  public int port() {
    return acceptor.port();
  }

  public int openConnections() {
    return openConnections.get();
  }

  /** Posts a message as {@code from}; see {@link dev.jchat.ChatServer#post}. */
  public CompletableFuture<ChatMessage> post(String roomId, String from, String text) {
    CompletableFuture<ChatMessage> result = new CompletableFuture<>();
    try {
      Validation.requireUserId(from);
      Room room =
          rooms.find(roomId).orElseThrow(() -> ApiError.notFound("no room '" + roomId + "'"));
      messaging.post(
          from,
          room,
          text,
          new MessageLog.Callback() {
            @Override
            public void stored(StoredMessage m, String ref, boolean duplicate) {
              result.complete(new ChatMessage(m.roomId(), m.seq(), m.from(), m.text(), m.ts()));
            }

            @Override
            public void failed(RuntimeException e) {
              result.completeExceptionally(
                  e instanceof UnknownRoomException
                      ? new ChatException("not_found", 404, e.getMessage(), e)
                      : e instanceof StoreUnavailableException
                          ? new ChatException("unavailable", 503, e.getMessage(), e)
                          : new ChatException("internal", 500, e.getMessage(), e));
            }
          });
    } catch (ApiError e) {
      result.completeExceptionally(new ChatException(e.code(), e.status(), e.getMessage()));
    } catch (StoreException e) {
      result.completeExceptionally(new ChatException("internal", 500, e.getMessage(), e));
    }
    return result;
  }

  /**
   * Stops accepting, commits and delivers what is queued, closes the sockets with 1001, gives them
   * a moment to flush, then stops the threads and closes the database.
   */
  public void close() {
    housekeeping.close();
    if (acceptor != null) {
      acceptor.close();
    }
    log.close();
    registry.closeAll();
    awaitSocketsClosed(TimeUnit.SECONDS.toNanos(3));
    if (cluster != null) {
      cluster.close(); // after the sockets: their presence goes out first
    }
    feed.close();
    for (EventLoop loop : loops) {
      loop.stop(5, TimeUnit.SECONDS);
    }
    passwords.shutdownNow();
    workers.shutdown();
    try {
      if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      workers.shutdownNow();
    }
    db.close();
    meters.close();
  }

  /** Bounded wait for the close handshakes; whatever is left is closed by the loops. */
  private void awaitSocketsClosed(long timeoutNanos) {
    long deadline = System.nanoTime() + timeoutNanos;
    while (registry.size() > 0 && System.nanoTime() - deadline < 0) {
      try {
        Thread.sleep(10); // polling a count at shutdown; nothing to wait on more precisely
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static java.util.concurrent.ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
