package dev.jchat.cli.bench;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides when the senders of one loop send, and counts the measured sends and their replies.
 *
 * <p>Rate mode: the senders' first sends are spread evenly over one interval, and each sends again
 * one interval after its last scheduled time, catching up when the loop fell behind. As every
 * sender has the same interval, a plain queue stays ordered by next send time.
 *
 * <p>Window mode: each sender starts with its whole window and sends again whenever a slot is
 * freed, by an {@code ack} (or, with {@code --release echo}, by its own message coming back) or by
 * an {@code error}, the server's other answer to a send.
 *
 * <p>Replies are matched to sends by order: the server answers a connection's sends in the order
 * they arrive. Owned by one loop thread.
 */
final class Senders {
  private final ClientLoop loop;
  private final RunControl control;
  private final LoopStats stats;
  private final boolean windowMode;
  private final boolean releaseOnEcho;
  private final long intervalNanos;
  private final List<BenchClient> senders = new ArrayList<>();
  private final ArrayDeque<BenchClient> due = new ArrayDeque<>();
  private boolean started;

  Senders(ClientLoop loop, RunControl control, LoopStats stats) {
    this.loop = loop;
    this.control = control;
    this.stats = stats;
    BenchConfig config = control.config;
    this.windowMode = config.windowMode();
    this.releaseOnEcho = config.release() == BenchConfig.Release.ECHO;
    this.intervalNanos = windowMode ? 0 : Math.max(1, Math.round(1e9 / config.rate()));
  }

  /** A sender that has joined its room. */
  void add(BenchClient client) {
    senders.add(client);
  }

  /** Sends whatever is due; a no-op before the start. */
  void tick(long now) {
    long start = control.sendStart();
    if (start < 0 || now < start) {
      return;
    }
    if (!started) {
      started = true;
      begin(start);
    }
    while (!due.isEmpty() && due.peekFirst().nextSendAt <= now && now < control.measureEnd) {
      BenchClient c = due.pollFirst();
      if (c.state == BenchClient.JOINED) {
        send(c);
        c.nextSendAt += intervalNanos;
        due.addLast(c);
      }
    }
  }

  /**
   * When the loop should next wake for sending, on the run's clock: the start, the next send due,
   * or the end of the measured window (so that a turn begins right after it); Long.MAX_VALUE once
   * that end has passed.
   */
  long nextDue(long now) {
    long start = control.sendStart();
    if (start < 0) {
      return Long.MAX_VALUE;
    } else if (!started) {
      return start;
    } else if (now >= control.measureEnd) {
      return Long.MAX_VALUE;
    }
    return due.isEmpty()
        ? control.measureEnd
        : Math.min(due.peekFirst().nextSendAt, control.measureEnd);
  }

  private void begin(long start) {
    for (int i = 0; i < senders.size(); i++) {
      BenchClient c = senders.get(i);
      if (c.state != BenchClient.JOINED) {
        continue;
      }
      if (windowMode) {
        for (int k = 0; k < control.config.window(); k++) {
          send(c);
        }
      } else {
        c.nextSendAt = start + intervalNanos * i / senders.size();
        due.addLast(c);
      }
    }
  }

  /** An {@code ack} ({@code accepted}) or {@code error} arrived on a sender. */
  void onReply(BenchClient c, boolean accepted) {
    c.replies++;
    if (c.replies > c.warmupSends && c.replies <= c.warmupSends + c.measuredSends) {
      if (accepted) {
        stats.acked++;
        stats.expected += control.members[c.room];
      } else {
        stats.rejected++;
      }
    }
    if (!accepted || !releaseOnEcho) {
      release(c);
    }
  }

  /** A sender received its own message back, stamped {@code stamp}. */
  void onEcho(BenchClient c, long stamp) {
    if (releaseOnEcho) {
      if (control.measured(stamp)) {
        stats.echoed++;
      }
      release(c);
    }
  }

  boolean releaseOnEcho() {
    return releaseOnEcho;
  }

  private void release(BenchClient c) {
    if (c.outstanding > 0) {
      c.outstanding--;
    }
    if (windowMode && c.state == BenchClient.JOINED) {
      send(c);
    }
  }

  private void send(BenchClient c) {
    long stamp = control.clock();
    if (stamp >= control.measureEnd) {
      return;
    }
    c.queue(loop.frames.send(c.room, stamp, c.index));
    if (c.state == BenchClient.CLOSED) {
      return; // dropped: its queue was full
    }
    c.sends++;
    c.outstanding++;
    if (stamp < control.measureStart) {
      c.warmupSends++;
    } else {
      c.measuredSends++;
      stats.sent++;
    }
  }
}
