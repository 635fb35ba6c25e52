package dev.jchat.internal.reactor;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The process's open-file limit, which bounds connections before any setting does: each one is a
 * file descriptor. Past it, accept fails (EMFILE) and a client waits in the kernel's backlog with
 * no answer, and the server's own files (database, logs, time zones) fail to open. Stateless; any
 * thread.
 */
public final class OpenFiles {
  private static final Logger LOG = System.getLogger(OpenFiles.class.getName());

  /** Descriptors kept for the server itself: JVM, database and WAL, selectors, logging. */
  static final int RESERVE = 128;

  private OpenFiles() {}

  /**
   * The connection cap to enforce: {@code requested}, or less when the open-file limit (minus
   * {@link #RESERVE}) is lower, in which case a warning says so. Then the connections past the
   * limit are refused with 503 rather than left hanging.
   */
  public static int connectionCap(int requested) {
    long limit = limit();
    if (limit <= 0 || limit - RESERVE >= requested) {
      return requested;
    }
    int cap = (int) Math.max(1, limit - RESERVE);
    LOG.log(
        Level.WARNING,
        "the open-file limit is "
            + limit
            + ", so at most "
            + cap
            + " connections are"
            + " accepted (maxConnections is "
            + requested
            + "); raise it with ulimit -n or LimitNOFILE");
    return cap;
  }

  /** The open-file limit of this process, or -1 where the JVM cannot tell. */
  static long limit() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.UnixOperatingSystemMXBean unix
        ? unix.getMaxFileDescriptorCount()
        : -1;
  }
}
