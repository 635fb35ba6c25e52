package dev.jchat.internal.server;

import dev.jchat.internal.socket.SocketRegistry;
import dev.jchat.internal.store.AdminEvents;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * Acts on what operators changed with {@code chat admin} in the database (another process): the
 * sockets of a disabled or revoked user are closed. Polled by {@link Housekeeping} once a second;
 * one indexed read when nothing changed. Housekeeping thread only.
 */
final class AdminWatch implements Runnable {
  private static final Logger LOG = System.getLogger(AdminWatch.class.getName());

  private final AdminEvents events;
  private final SocketRegistry registry;
  private long seen;

  AdminWatch(AdminEvents events, SocketRegistry registry) {
    this.events = events;
    this.registry = registry;
    this.seen = events.lastId(); // what happened before this start needs no action
  }

  @Override
  public void run() {
    for (AdminEvents.Event e : events.after(seen)) {
      seen = e.id();
      String message =
          switch (e.action()) {
            case "disable" -> "your account was disabled";
            case "revoke" -> "your sessions were ended by the operator; sign in again";
            default -> null;
          };
      if (message == null) {
        continue;
      }
      int closed = registry.closeUser(e.userId(), message);
      LOG.log(
          Level.INFO,
          "operator " + e.action() + " of user " + e.userId() + ": closed " + closed + " sockets");
    }
  }
}
