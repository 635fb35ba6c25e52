package dev.jchat.internal.socket;

import dev.jchat.internal.reactor.Connection;
import dev.jchat.internal.reactor.ConnectionHandler;
import dev.jchat.internal.websocket.FrameDecoder;
import dev.jchat.internal.websocket.FrameEncoder;
import dev.jchat.internal.websocket.FrameListener;
import dev.jchat.internal.websocket.WebSocketException;
import dev.jchat.internal.websocket.WebSocketProtocol;
import java.nio.ByteBuffer;

/**
 * The chat socket on its event loop after the upgrade: decodes frames, answers control frames
 * itself, hands each text message to the session's serial worker queue, and enforces the hello and
 * ping timeouts. Loop-owned, except {@link #paused}, which workers read.
 */
final class WebSocketHandler implements ConnectionHandler, FrameListener {
  private final SocketSession session;
  private final SocketCommands commands;
  private final FrameDecoder decoder;
  private final long helloTimeoutNanos;
  private final long pingIntervalNanos;
  private final long openedAt;
  private Connection connection;
  private long pingSentAt;

  /** The peer broke the protocol: our close is queued, and whatever else it sends is dropped. */
  private boolean failed;

  private volatile boolean paused;

  WebSocketHandler(SocketSession session, SocketCommands commands, SocketSettings settings) {
    this.session = session;
    this.commands = commands;
    this.decoder = new FrameDecoder(settings.maxMessageBytes(), true);
    this.helloTimeoutNanos = settings.helloTimeoutNanos();
    this.pingIntervalNanos = settings.pingIntervalNanos();
    this.openedAt = System.nanoTime();
    this.connection = session.connection;
  }

  @Override
  public void onRead(Connection c, ByteBuffer data) {
    connection = c;
    if (failed) {
      // the rest of an oversized or broken frame may still be arriving; it must not cut our close
      // short
      data.position(data.limit());
      return;
    }
    try {
      decoder.decode(data, this);
    } catch (WebSocketException e) {
      failed = true;
      data.position(data.limit());
      session.closeWith(e.closeCode(), e.getMessage(), null, false);
    }
  }

  @Override
  public void onText(byte[] utf8) {
    if (session.closing()) {
      return;
    }
    ClientFrame parsed =
        utf8.length <= SocketCommands.LOOP_PARSE_LIMIT ? SocketCommands.parse(utf8) : null;
    if (parsed != null
        && session.inbound.idle()
        && (commands.trySendOnLoop(session, parsed)
            || commands.tryHistoryOnLoop(session, parsed))) {
      return;
    }
    Runnable task =
        parsed != null
            ? () -> commands.handle(session, parsed)
            : () -> commands.handle(session, utf8);
    session.inbound.submit(
        () -> {
          task.run();
          if (paused && session.inbound.pending() <= SocketSession.INBOUND_LOW_WATER) {
            connection.execute(this::resume);
          }
        });
    if (session.inbound.pending() >= SocketSession.INBOUND_HIGH_WATER) {
      paused = true;
      connection.pauseReading();
    }
  }

  private void resume() {
    if (!paused) {
      return;
    }
    paused = false;
    connection.resumeReading();
  }

  @Override
  public void onPing(byte[] payload) {
    connection.send(FrameEncoder.pong(payload));
  }

  @Override
  public void onPong(byte[] payload) {
    pingSentAt = 0;
  }

  @Override
  public void onClose(int code, String reason) {
    session.markClosing();
    int echo = code == WebSocketProtocol.CLOSE_NO_STATUS ? WebSocketProtocol.CLOSE_NORMAL : code;
    connection.sendFinal(false, FrameEncoder.close(echo, ""));
  }

  @Override
  public void onTick(Connection c, long now) {
    if (session.closing()) {
      return; // last words are queued; the connection lingers, then goes
    }
    if (!session.signedIn() && now - openedAt > helloTimeoutNanos) {
      session.closeWith(
          WebSocketProtocol.CLOSE_POLICY_VIOLATION,
          "no hello",
          ServerFrames.error("unauthorized", "send hello with a token first", null),
          false);
      return;
    }
    long idle = now - c.lastReadNanos();
    if (idle < pingIntervalNanos) {
      pingSentAt = 0;
    } else if (pingSentAt == 0) {
      pingSentAt = now;
      c.send(FrameEncoder.ping(new byte[0]));
    } else if (now - pingSentAt > pingIntervalNanos) {
      session.closeWith(WebSocketProtocol.CLOSE_POLICY_VIOLATION, "ping timeout", null, true);
    }
  }

  @Override
  public void onBacklogExceeded(Connection c) {
    session.slowConsumer();
  }

  @Override
  public void onClosed(Connection c) {
    session.markClosing();
    session.inbound.submit(() -> commands.closed(session));
  }

  @Override
  public void onReleased(Connection c) {
    commands.released(session);
  }
}
