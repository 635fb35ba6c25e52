package dev.jchat.internal.socket;

import com.fasterxml.jackson.databind.ObjectReader;
import dev.jchat.internal.json.Json;
import dev.jchat.internal.metrics.ChatMeters;
import dev.jchat.internal.room.Room;
import dev.jchat.internal.service.Accounts;
import dev.jchat.internal.service.ApiError;
import dev.jchat.internal.service.LimitCounters;
import dev.jchat.internal.service.LogText;
import dev.jchat.internal.service.Messaging;
import dev.jchat.internal.service.RoomDirectory;
import dev.jchat.internal.service.Unavailable;
import dev.jchat.internal.store.LogClosedException;
import dev.jchat.internal.store.MessageLog;
import dev.jchat.internal.store.StoreException;
import dev.jchat.internal.store.StoreUnavailableException;
import dev.jchat.internal.store.StoredMessage;
import dev.jchat.internal.store.UnknownRoomException;
import dev.jchat.internal.websocket.WebSocketProtocol;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;

/**
 * What each client message on the chat socket does. Runs on worker threads, one message of a socket
 * at a time (the session's serial queue), so a session's own state needs no locks.
 */
public final class SocketCommands {
  private static final Logger LOG = System.getLogger(SocketCommands.class.getName());
  private static final ObjectReader READER = Json.reader(ClientFrame.class);

  private final Accounts accounts;
  private final RoomDirectory rooms;
  private final Messaging messaging;
  private final SocketRegistry registry;
  private final SocketSettings settings;
  private final LimitCounters limits;
  private final ChatMeters meters;

  public SocketCommands(
      Accounts accounts,
      RoomDirectory rooms,
      Messaging messaging,
      SocketRegistry registry,
      SocketSettings settings,
      LimitCounters limits,
      ChatMeters meters) {
    this.meters = meters;
    this.accounts = accounts;
    this.rooms = rooms;
    this.messaging = messaging;
    this.registry = registry;
    this.settings = settings;
    this.limits = limits;
  }

  /** Messages up to this size may be parsed on the event loop; bigger ones on a worker. */
  static final int LOOP_PARSE_LIMIT = 16 * 1024;

  /**
   * A page held in memory is answered on the event loop up to this many characters of text and
   * senders (about 64 KiB of JSON for ASCII); a bigger one, up to 200 messages of 4,000 characters,
   * is copied on a worker, so that one read cannot hold a loop for long.
   */
  static final int LOOP_PAGE_CHARS = 64 * 1024;

  /** Parses a client message, or returns null when it is not a well-formed one. */
  static ClientFrame parse(byte[] utf8) {
    try {
      return READER.readValue(utf8);
    } catch (IOException e) {
      return null;
    }
  }

  /** Worker: a message as it arrived. */
  void handle(SocketSession s, byte[] utf8) {
    ClientFrame f = parse(utf8);
    if (f == null) {
      if (s.closing()) {
        return;
      }
      reject(s, ApiError.badRequest("not a JSON object with the expected fields"), null);
      return;
    }
    handle(s, f);
  }

  /** Worker: a message already parsed on the loop. */
  void handle(SocketSession s, ClientFrame f) {
    if (s.closing()) {
      return;
    }
    if (f.type() == null) {
      reject(s, ApiError.badRequest("every message needs a \"type\""), f.ref());
      return;
    }
    try {
      dispatch(s, f);
    } catch (ApiError e) {
      reject(s, e, f.ref());
    } catch (StoreUnavailableException e) { // logged (sparingly) by the store
      reject(s, Unavailable.of(e), f.ref());
    } catch (StoreException e) {
      LOG.log(Level.ERROR, "storage failed while handling " + LogText.quote(f.type()), e);
      reject(s, ApiError.internal("the server could not complete the request"), f.ref());
    }
  }

  /**
   * Event loop, when the session has nothing queued on a worker (so order is kept): a {@code send}
   * that needs neither a worker nor a wait is checked and queued for storing right here, sparing a
   * thread hand-off on the hottest path. Returns false when the message must go to a worker after
   * all.
   */
  boolean trySendOnLoop(SocketSession s, ClientFrame f) {
    if (!s.signedIn() || s.closing() || !"send".equals(f.type())) {
      return false;
    }
    if (f.room() == null || rooms.find(f.room()).isEmpty()) {
      return false; // a worker answers, or loads a room another node created
    }
    try {
      Room room = sendTarget(s, f);
      return messaging.trySendWithoutWaiting(s.userId(), room, f.text(), f.ref(), acker(s, f));
    } catch (ApiError e) {
      reject(s, e, f.ref());
      return true;
    }
  }

  /**
   * Event loop, likewise: a {@code history} page that the newest messages in memory hold whole is
   * read and answered right here, sparing two thread hand-offs on the read clients make most. Any
   * other read, and any read that would be refused, goes to a worker (returns false).
   */
  boolean tryHistoryOnLoop(SocketSession s, ClientFrame f) {
    if (!s.signedIn() || s.closing() || !"history".equals(f.type())) {
      return false;
    }
    List<StoredMessage> page =
        rooms.historyInMemory(s.userId(), f.room(), f.before(), f.afterSeq(), f.limit());
    if (page == null || chars(page) > LOOP_PAGE_CHARS) {
      return false;
    }
    try {
      countRead(s);
    } catch (ApiError e) {
      reject(s, e, f.ref());
      return true;
    }
    s.deliver(ServerFrames.history(f.room(), page));
    return true;
  }

  private static long chars(List<StoredMessage> page) {
    long chars = 0;
    for (StoredMessage m : page) {
      chars += m.text().length() + m.from().length();
    }
    return chars;
  }

  private void dispatch(SocketSession s, ClientFrame f) {
    if (!s.signedIn()) {
      hello(s, f);
      return;
    }
    switch (f.type()) {
      case "join" -> join(s, f);
      case "send" -> send(s, f);
      case "leave" -> leave(s, f);
      case "history" -> history(s, f);
      case "rooms" ->
          s.deliver(ServerFrames.rooms(rooms.list(s.userId(), f.afterRoomId(), f.limit())));
      case "hello" -> throw ApiError.badRequest("already signed in");
      default -> throw ApiError.badRequest("unknown type '" + f.type() + "'");
    }
  }

  /** Before hello nothing else is accepted: a wrong first message ends the socket. */
  private void reject(SocketSession s, ApiError e, String ref) {
    if (!s.signedIn()) {
      refuse(s, e.code().equals("unauthorized") ? e.getMessage() : "send hello with a token first");
      return;
    }
    s.deliver(ServerFrames.error(e, ref));
  }

  private void hello(SocketSession s, ClientFrame f) {
    if (!"hello".equals(f.type())) {
      refuse(s, "send hello with a token first");
      return;
    }
    Accounts.SignedIn signedIn;
    try {
      signedIn = accounts.signedIn(f.token());
    } catch (ApiError e) {
      refuse(s, e.getMessage());
      return;
    }
    String sessionKey = Accounts.sessionKey(f.token());
    s.signIn(signedIn.userId(), sessionKey, signedIn.expiresAt());
    registry.signedIn(s);
    // A logout that ran between the check above and the registration found no socket to close:
    // it left its key behind, and from here on a logout finds this socket.
    if (registry.loggedOutLately(sessionKey)) {
      registry.closed(s);
      refuse(s, "the session was logged out");
      return;
    }
    s.deliver(ServerFrames.welcome(signedIn.userId(), settings.serverName()));
  }

  private static void refuse(SocketSession s, String message) {
    s.closeWith(
        WebSocketProtocol.CLOSE_POLICY_VIOLATION,
        "unauthorized",
        ServerFrames.error("unauthorized", message, null),
        false);
  }

  /**
   * Joins without a gap or a duplicate: subscribe first (live frames are held back), read the
   * history, then release the held frames that history did not already carry.
   */
  private void join(SocketSession s, ClientFrame f) {
    countRead(s);
    Room room = rooms.join(s.userId(), requireRoom(f));
    Long since = f.since();
    if (since != null && since < 0) {
      throw ApiError.badRequest("since must not be negative");
    }
    Room.Subscription sub = room.subscribe(s, ServerFrames.presence(room.id(), s.userId(), "join"));
    if (sub == null) {
      throw ApiError.notFound("no room '" + room.id() + "'"); // removed a moment ago
    }
    s.joined.put(room.id(), sub);
    long committed;
    List<StoredMessage> history;
    try {
      committed = rooms.lastSeq(room.id()); // read first: history holds at least up to it
      history = rooms.catchUp(room.id(), since, settings.historyCap());
    } catch (RuntimeException e) {
      s.joined.remove(room.id());
      room.unsubscribe(s, ServerFrames.presence(room.id(), s.userId(), "leave"));
      throw e;
    }
    boolean complete =
        since == null
            ? history.isEmpty() || history.get(0).seq() == 1
            : history.size() < settings.historyCap() || history.get(0).seq() == since + 1;
    // A since past the room's end (a client that kept a cursor of a reset database) must not
    // hide the messages still to come: the joiner has seen at most what was committed.
    long historyMax =
        history.isEmpty()
            ? (since == null ? 0 : Math.min(since, committed))
            : history.get(history.size() - 1).seq();
    String array = ServerFrames.historyArray(history);
    meters.joined(complete);
    room.release(
        sub,
        historyMax,
        (lastSeq, online, late) ->
            ServerFrames.joined(room.id(), lastSeq, complete, online, array, late));
  }

  private void send(SocketSession s, ClientFrame f) {
    Room room = sendTarget(s, f);
    messaging.send(s.userId(), room, f.text(), f.ref(), acker(s, f));
  }

  private Room sendTarget(SocketSession s, ClientFrame f) {
    String roomId = requireRoom(f);
    Room room = rooms.visible(s.userId(), roomId);
    if (!s.joined.containsKey(roomId)) {
      throw ApiError.badRequest("join '" + roomId + "' before sending to it");
    }
    return room;
  }

  /** Acks the sender once the message is committed (on the message log's writer thread). */
  private MessageLog.Callback acker(SocketSession s, ClientFrame f) {
    long received = System.nanoTime();
    return new MessageLog.Callback() {
      @Override
      public void stored(StoredMessage m, String ref, boolean duplicate) {
        meters.acked(System.nanoTime() - received); // counted before the client can see it
        s.deliver(ServerFrames.ack(ref, m.roomId(), m.seq(), m.ts()));
      }

      @Override
      public void failed(RuntimeException e) {
        if (e instanceof UnknownRoomException) {
          s.deliver(ServerFrames.error("not_found", e.getMessage(), f.ref()));
          return;
        }
        if (e instanceof StoreUnavailableException u) {
          // nothing stored, nothing acked: the client retries with the same ref; the store logs it
          ApiError a = Unavailable.of(u);
          s.deliver(ServerFrames.error(a.code(), a.getMessage(), a.retryAfterMillis(), f.ref()));
          return;
        }
        if (e instanceof LogClosedException) { // shutting down: close 1001 follows
          s.deliver(
              ServerFrames.error(
                  "internal", "the server is shutting down; the message was not stored", f.ref()));
          return;
        }
        LOG.log(Level.ERROR, "a message could not be stored", e);
        s.deliver(ServerFrames.error("internal", "the message could not be stored", f.ref()));
      }
    };
  }

  private void leave(SocketSession s, ClientFrame f) {
    String roomId = requireRoom(f);
    Room.Subscription sub = s.joined.remove(roomId);
    if (sub == null) {
      throw ApiError.badRequest("not in room '" + roomId + "'");
    }
    rooms
        .find(roomId)
        .ifPresent(r -> r.unsubscribe(s, ServerFrames.presence(roomId, s.userId(), "leave")));
    s.deliver(ServerFrames.left(roomId));
  }

  private void history(SocketSession s, ClientFrame f) {
    countRead(s);
    String roomId = requireRoom(f);
    s.deliver(
        ServerFrames.history(
            roomId, rooms.history(s.userId(), roomId, f.before(), f.afterSeq(), f.limit())));
  }

  /** Joins and history reads are limited per socket: each carries up to hundreds of messages. */
  private void countRead(SocketSession s) {
    long wait = s.reads.acquire(System.nanoTime());
    if (wait > 0) {
      limits.tripped("reads");
      throw ApiError.rateLimited("too many joins and history reads; slow down", wait);
    }
  }

  /** The socket closed: leave every room (presence) and forget it. */
  void closed(SocketSession s) {
    for (Map.Entry<String, Room.Subscription> e : s.joined.entrySet()) {
      rooms
          .find(e.getKey())
          .ifPresent(r -> r.unsubscribe(s, ServerFrames.presence(e.getKey(), s.userId(), "leave")));
    }
    s.joined.clear();
    registry.closed(s);
  }

  /** The socket's TCP connection is gone too (its close frame had its chance). */
  void released(SocketSession s) {
    registry.released(s);
  }

  private static String requireRoom(ClientFrame f) {
    if (f.room() == null) {
      throw ApiError.badRequest("\"room\" is required");
    }
    return f.room();
  }
}
