package dev.jchat.internal.server;

import dev.jchat.internal.service.Accounts;
import dev.jchat.internal.service.LimitCounters;
import dev.jchat.internal.socket.SocketRegistry;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The server's periodic chores, on one daemon thread of its own: closes sockets whose session
 * expired and those of users an operator disabled or revoked (each second), logs how often each
 * limit refused someone (each minute, only when one did), and deletes expired sessions from the
 * database (each hour). A chore that fails is logged and tried again next time.
 */
final class Housekeeping implements AutoCloseable {
  private static final Logger LOG = System.getLogger(Housekeeping.class.getName());

  private final SocketRegistry registry;
  private final Accounts accounts;
  private final LimitCounters limits;
  private final Runnable adminWatch;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "chat-housekeeping");
            t.setDaemon(true);
            return t;
          });

  Housekeeping(
      SocketRegistry registry, Accounts accounts, LimitCounters limits, Runnable adminWatch) {
    this.adminWatch = adminWatch;
    this.registry = registry;
    this.accounts = accounts;
    this.limits = limits;
  }

  void start() {
    every(1, TimeUnit.SECONDS, () -> registry.closeExpired(System.currentTimeMillis()));
    every(1, TimeUnit.SECONDS, adminWatch);
    every(1, TimeUnit.MINUTES, this::logLimits);
    every(1, TimeUnit.HOURS, accounts::purgeExpiredSessions);
  }

  private void every(long period, TimeUnit unit, Runnable chore) {
    timer.scheduleWithFixedDelay(
        () -> {
          try {
            chore.run();
          } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "housekeeping chore failed; trying again later", e);
          }
        },
        period,
        period,
        unit);
  }

  private void logLimits() {
    Map<String, Long> tripped = limits.drain();
    if (!tripped.isEmpty()) {
      LOG.log(Level.INFO, "limits refused requests in the last minute: " + tripped);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
