package dev.jchat.cli.client;

import dev.jchat.ChatClient;
import dev.jchat.ChatException;
import dev.jchat.ChatMessage;
import dev.jchat.ChatSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a session connected: one socket at a time. Each connection rejoins every room with {@code
 * since} = the last {@code seq} shown and hands the {@link SendQueue} the socket; when it drops, it
 * says so and reconnects with {@link Backoff}, signing in again when the token has expired. With
 * several servers, the {@link ChatClient} moves past a server whose connection broke before this
 * hears of it, so the reconnect goes to the next one in the list (and on round the list). Each
 * connection's events reach the {@link JoinedRooms} and the {@link Output}, those of an older one
 * are ignored.
 *
 * <p>Thread-safe: the socket, the connection's generation and the closed flag are guarded by {@code
 * this}; reconnects run on the worker thread it is given, and stops at {@link #close()}; socket
 * events come on the socket's thread. Lines go out with no lock held.
 */
final class ConnectionSupervisor {
  private final ChatClient client;
  private final SignIn.Credentials credentials;
  private final JoinedRooms rooms;
  private final SendQueue sends;
  private final Output out;
  private final SessionNotices say;
  private final Backoff backoff;
  private final ScheduledExecutorService worker;
  private ChatSocket socket;
  private int generation;
  private boolean closed;

  ConnectionSupervisor(
      ChatClient client,
      SignIn.Credentials credentials,
      JoinedRooms rooms,
      SendQueue sends,
      Output out,
      SessionNotices say,
      Backoff backoff,
      ScheduledExecutorService worker) {
    this.client = client;
    this.credentials = credentials;
    this.rooms = rooms;
    this.sends = sends;
    this.out = out;
    this.say = say;
    this.backoff = backoff;
    this.worker = worker;
  }

  /**
   * Connects and rejoins every room; returns the joins, which report their own failures. When the
   * server cannot be reached it says so and keeps trying in the background, and returns none.
   */
  List<CompletableFuture<ChatSocket.Joined>> start() {
    try {
      return connect(false);
    } catch (ChatException e) {
      say.connectFailed(e);
      run(() -> reconnect(1));
      return List.of();
    }
  }

  /** The open socket, or null while offline. */
  synchronized ChatSocket socket() {
    return socket;
  }

  /** Closes the socket, stops reconnecting and stops the worker. Idempotent. */
  void close() {
    ChatSocket s;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      s = socket;
      socket = null;
    }
    sends.offline();
    worker.shutdownNow();
    if (s != null) {
      s.close();
    }
  }

  /**
   * Opens a socket, joins every room again, resends what was not acked; returns the joins.
   *
   * @param reconnecting whether to say "reconnected" once connected, before the rooms' messages
   */
  private List<CompletableFuture<ChatSocket.Joined>> connect(boolean reconnecting) {
    int gen;
    synchronized (this) {
      gen = ++generation;
    }
    ChatSocket s = client.connect(new Events(gen));
    if (reconnecting) {
      say.reconnected(client.addresses().size() > 1 ? client.address().getAuthority() : null);
    }
    List<CompletableFuture<ChatSocket.Joined>> joins = new ArrayList<>();
    synchronized (this) {
      if (closed || gen != generation) {
        run(s::close);
        return joins;
      }
      socket = s;
    }
    for (Map.Entry<String, Long> rejoin : rooms.rejoins().entrySet()) {
      String room = rejoin.getKey();
      CompletableFuture<ChatSocket.Joined> join =
          rejoin.getValue() < 0 ? s.join(room) : s.join(room, rejoin.getValue());
      joins.add(
          join.whenComplete(
              (joined, failure) -> {
                if (failure != null) {
                  rejoinFailed(room, failure);
                }
              }));
    }
    sends.online(s, gen); // after the joins: the socket sends in order
    return joins;
  }

  private void rejoinFailed(String room, Throwable failure) {
    ChatException e = SendQueue.unwrap(failure);
    if (e.code().equals("unavailable")) {
      return; // the connection went: the next one rejoins
    }
    rooms.joinFailed(room, null);
    say.cannotJoin(room, e);
  }

  private void reconnect(int attempt) {
    synchronized (this) {
      if (closed || socket != null) {
        return;
      }
    }
    try {
      connect(true);
    } catch (ChatException e) {
      if (e.code().equals("unauthorized") && signInAgain()) {
        run(() -> reconnect(attempt + 1));
        return;
      }
      Duration wait = backoff.delay(attempt);
      if (attempt > 1 && Integer.bitCount(attempt) == 1) { // attempts 2, 4, 8...: said, not flooded
        say.stillOffline(e, wait);
      }
      schedule(() -> reconnect(attempt + 1), wait);
    }
  }

  private boolean signInAgain() {
    try {
      client.login(credentials.userId(), credentials.password());
      return true;
    } catch (ChatException e) {
      if (e.code().equals("unauthorized")) {
        say.signInRefused();
      }
      return false;
    }
  }

  private void onClose(int gen, int code, String reason) {
    synchronized (this) {
      if (closed || gen != generation) {
        return;
      }
      socket = null;
    }
    sends.offline();
    say.connectionLost(code, reason);
    schedule(() -> reconnect(1), backoff.delay(1));
  }

  private synchronized boolean current(int gen) {
    return gen == generation && !closed;
  }

  private void run(Runnable task) {
    try {
      worker.execute(task);
    } catch (RejectedExecutionException closing) {
      // closed meanwhile: nothing more to do
    }
  }

  private void schedule(Runnable task, Duration delay) {
    try {
      worker.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closing) {
      // closed meanwhile: nothing more to do
    }
  }

  /** Hands one connection's events on; those of an older connection are ignored. */
  private final class Events implements ChatSocket.Listener {
    private final int gen;

    Events(int gen) {
      this.gen = gen;
    }

    @Override
    public void onMessage(ChatMessage message) {
      String line = current(gen) ? rooms.message(message) : null;
      if (line != null) {
        out.show(line);
      }
    }

    @Override
    public void onPresence(String roomId, String userId, String event) {
      String line = current(gen) ? rooms.presence(roomId, userId, event) : null;
      if (line != null) {
        out.notice(line);
      }
    }

    @Override
    public void onJoined(ChatSocket.Joined joined) {
      if (current(gen)) {
        out.print(rooms.joined(joined));
      }
    }

    @Override
    public void onMembership(String roomId, String event, String by) {
      if (!current(gen)) {
        return;
      }
      if (event.equals("added")) {
        say.addedTo(roomId, by, rooms.self());
      } else if (event.equals("removed")) {
        rooms.leave(roomId); // the server ended the join; a reconnect must not try it again
        say.removedFrom(roomId, by, rooms.self(), rooms.current());
      }
    }

    @Override
    public void onError(ChatException error) {
      if (current(gen)) {
        say.serverError(error);
      }
    }

    @Override
    public void onClose(int code, String reason) {
      ConnectionSupervisor.this.onClose(gen, code, reason);
    }
  }
}
