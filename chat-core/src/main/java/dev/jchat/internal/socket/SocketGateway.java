package dev.jchat.internal.socket;

import dev.jchat.internal.reactor.Connection;
import dev.jchat.internal.reactor.ConnectionHandler;
import java.util.concurrent.Executor;

/** Turns an upgraded connection into a chat socket. Called on the connection's event loop. */
public final class SocketGateway {
  private final SocketCommands commands;
  private final SocketRegistry registry;
  private final SocketSettings settings;
  private final Executor workers;
  private final Runnable slowConsumerClosed;

  public SocketGateway(
      SocketCommands commands,
      SocketRegistry registry,
      SocketSettings settings,
      Executor workers,
      Runnable slowConsumerClosed) {
    this.slowConsumerClosed = slowConsumerClosed;
    this.commands = commands;
    this.registry = registry;
    this.settings = settings;
    this.workers = workers;
  }

  /** The handler that takes over the connection once the 101 response is queued. */
  public ConnectionHandler open(Connection connection) {
    SocketSession session =
        new SocketSession(connection, workers, settings.readsPerSecond(), slowConsumerClosed);
    registry.opened(session);
    return new WebSocketHandler(session, commands, settings);
  }
}
