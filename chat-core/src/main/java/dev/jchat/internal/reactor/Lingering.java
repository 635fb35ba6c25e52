package dev.jchat.internal.reactor;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The last state of a connection we are closing: its last words are being written, then our side is
 * shut down for writing, and whatever the peer still sends is read and dropped until it closes too.
 * Closing at once would make the kernel answer late data with a reset, which can destroy our last
 * response or close frame before the peer has read it. A peer that reads nothing, or never closes,
 * is cut off after a few seconds.
 */
final class Lingering implements ConnectionHandler {
  static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(3);
  private final long since;
  private final ConnectionHandler retired;

  Lingering(long since, ConnectionHandler retired) {
    this.since = since;
    this.retired = retired;
  }

  @Override
  public void onRead(Connection connection, ByteBuffer data) {
    data.position(data.limit());
  }

  @Override
  public void onTick(Connection connection, long nowNanos) {
    if (nowNanos - since > LINGER_NANOS) {
      connection.close();
    }
  }

  @Override
  public void onBacklogExceeded(Connection connection) {}

  @Override
  public void onClosed(Connection connection) {
    retired.onReleased(connection);
  }
}
