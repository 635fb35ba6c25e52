package dev.jchat.internal.server;

import dev.jchat.ChatListener;
import dev.jchat.ChatMessage;
import dev.jchat.internal.metrics.ChatMeters;
import dev.jchat.internal.reactor.FlushBatch;
import dev.jchat.internal.room.Room;
import dev.jchat.internal.service.RoomDirectory;
import dev.jchat.internal.socket.ServerFrames;
import dev.jchat.internal.store.MessageLog;
import dev.jchat.internal.store.StoredMessage;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;

/**
 * Fans each committed batch out to the rooms' subscribers: every message is encoded once and the
 * same bytes are queued on every member. Runs on the message log's writer thread, in seq order,
 * after the commit.
 */
final class Broadcaster implements MessageLog.BatchListener {
  private static final Logger LOG = System.getLogger(Broadcaster.class.getName());

  private final RoomDirectory rooms;
  private final ChatListener listener;
  private final ChatMeters meters;

  Broadcaster(RoomDirectory rooms, ChatListener listener, ChatMeters meters) {
    this.rooms = rooms;
    this.listener = listener;
    this.meters = meters;
  }

  @Override
  public void written(int sends, int stored, long nanos) {
    meters.batchWritten(sends, stored, nanos); // before the acks: a client never sees it lag
  }

  /** Acks and fan-out of one batch wake each event loop once, at the end. */
  @Override
  public void answering(Runnable answers) {
    FlushBatch.run(answers);
  }

  @Override
  public void committed(List<MessageLog.Appended> batch) {
    int frames = 0;
    for (MessageLog.Appended a : batch) {
      if (a.duplicate()) {
        continue; // delivered when it was first stored
      }
      StoredMessage m = a.message();
      Room room = rooms.find(m.roomId()).orElse(null);
      if (room != null) {
        frames += room.fanOut(m.seq(), ServerFrames.message(m));
      }
    }
    meters.delivered(frames);
    for (MessageLog.Appended a : batch) {
      if (a.duplicate()) {
        continue;
      }
      StoredMessage m = a.message();
      try {
        listener.onMessage(new ChatMessage(m.roomId(), m.seq(), m.from(), m.text(), m.ts()));
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "ChatListener.onMessage failed", e);
      }
    }
  }
}
