package dev.jchat.internal.reactor;

import java.nio.ByteBuffer;

/**
 * The protocol spoken on a connection: HTTP until an upgrade, then WebSocket. The reactor moves
 * bytes; the handler gives them meaning. Every method runs on the connection's event loop.
 */
public interface ConnectionHandler {

  /**
   * Bytes that arrived. The buffer is the loop's shared read buffer: consume what can be consumed
   * and copy what must be kept, because its contents are gone once this returns.
   */
  void onRead(Connection connection, ByteBuffer data);

  /** Called about once a second, for timeouts. */
  void onTick(Connection connection, long nowNanos);

  /**
   * The connection's unsent backlog passed its limit: the peer is not reading. The default closes
   * the connection at once; a handler may first queue a last word with {@link
   * Connection#sendFinal}.
   */
  default void onBacklogExceeded(Connection connection) {
    connection.close();
  }

  /**
   * Called once when the protocol is over, for whatever reason: the socket is closed, or only last
   * words are still being written (see {@link Connection#sendFinal}). Release the connection's
   * place in the application here.
   */
  void onClosed(Connection connection);

  /** Called once more when the socket itself is closed, after {@link #onClosed}. */
  default void onReleased(Connection connection) {}
}
