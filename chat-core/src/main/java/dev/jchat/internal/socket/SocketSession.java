package dev.jchat.internal.socket;

import dev.jchat.internal.reactor.Connection;
import dev.jchat.internal.room.Room;
import dev.jchat.internal.room.Subscriber;
import dev.jchat.internal.service.TokenBucket;
import dev.jchat.internal.websocket.FrameEncoder;
import dev.jchat.internal.websocket.WebSocketProtocol;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * One chat socket's state: who signed in and which rooms it joined. Commands run on workers, one at
 * a time in arrival order ({@link #inbound}); the fields are set by those commands and read by the
 * event loop for timeouts, hence volatile.
 */
final class SocketSession implements Subscriber {
  /** Messages waiting for a worker before the loop stops reading this socket. */
  static final int INBOUND_HIGH_WATER = 64;

  static final int INBOUND_LOW_WATER = 16;

  final Connection connection;
  final SerialExecutor inbound;
  final Map<String, Room.Subscription> joined = new ConcurrentHashMap<>();

  /** Joins and history reads; touched by this socket's commands only. */
  final TokenBucket reads;

  private volatile String userId;
  private volatile String sessionKey;
  private volatile long expiresAt = Long.MAX_VALUE;
  private volatile boolean closing;

  /** Counts a slow-consumer close (metrics). */
  private final Runnable slowConsumerClosed;

  SocketSession(
      Connection connection, Executor workers, double readsPerSecond, Runnable slowConsumerClosed) {
    this.slowConsumerClosed = slowConsumerClosed;
    this.connection = connection;
    this.inbound = new SerialExecutor(workers);
    this.reads = new TokenBucket(readsPerSecond, System.nanoTime());
  }

  @Override
  public String userId() {
    return userId;
  }

  String sessionKey() {
    return sessionKey;
  }

  boolean signedIn() {
    return userId != null;
  }

  void signIn(String userId, String sessionKey, long expiresAt) {
    this.sessionKey = sessionKey;
    this.expiresAt = expiresAt;
    this.userId = userId;
  }

  /** When the session this socket signed in with expires (epoch milliseconds). */
  long expiresAt() {
    return expiresAt;
  }

  @Override
  public boolean deliver(byte[] frame) {
    return connection.send(frame);
  }

  @Override
  public void overflowed() {
    slowConsumer();
  }

  /** Closes a socket that stopped reading: error {@code slow_consumer}, then close 1008. */
  void slowConsumer() {
    if (!closing) {
      slowConsumerClosed.run();
    }
    closeWith(
        WebSocketProtocol.CLOSE_POLICY_VIOLATION,
        "slow consumer",
        ServerFrames.error(
            "slow_consumer", "you are not reading fast enough; reconnect with since", null),
        true);
  }

  /** Sends an optional last frame and a close frame, then closes. Any thread; idempotent. */
  void closeWith(int code, String reason, byte[] lastFrame, boolean dropBacklog) {
    if (closing) {
      return;
    }
    closing = true;
    byte[] close = FrameEncoder.close(code, reason);
    if (lastFrame == null) {
      connection.sendFinal(dropBacklog, close);
    } else {
      connection.sendFinal(dropBacklog, lastFrame, close);
    }
  }

  boolean closing() {
    return closing;
  }

  /** The close handshake began on the other side; no close of ours is due any more. */
  void markClosing() {
    closing = true;
  }
}
