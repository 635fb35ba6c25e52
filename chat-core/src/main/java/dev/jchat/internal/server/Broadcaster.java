package dev.jchat.internal.server;

import dev.jchat.ChatListener;
import dev.jchat.ChatMessage;
import dev.jchat.internal.cluster.RoomFeed;
import dev.jchat.internal.metrics.ChatMeters;
import dev.jchat.internal.reactor.FlushBatch;
import dev.jchat.internal.room.Room;
import dev.jchat.internal.service.RoomDirectory;
import dev.jchat.internal.store.MessageLog;
import dev.jchat.internal.store.StoredMessage;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Fans each committed batch out to the rooms' subscribers: every message is encoded once and the
 * same bytes are queued on every member; then hands the batch to the other nodes, if there are any.
 * Runs on the message log's writer thread, in seq order, after the commit.
 */
final class Broadcaster implements MessageLog.BatchListener {
  private static final Logger LOG = System.getLogger(Broadcaster.class.getName());

  private final RoomDirectory rooms;
  private final ChatListener listener;
  private final ChatMeters meters;
  private final RoomFeed feed;
  private final Consumer<List<StoredMessage>> otherNodes;

  /**
   * @param otherNodes hears each batch's new messages after the local fan-out
   */
  Broadcaster(
      RoomDirectory rooms,
      ChatListener listener,
      ChatMeters meters,
      RoomFeed feed,
      Consumer<List<StoredMessage>> otherNodes) {
    this.rooms = rooms;
    this.listener = listener;
    this.meters = meters;
    this.feed = feed;
    this.otherNodes = otherNodes;
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
    List<StoredMessage> fresh = new ArrayList<>(batch.size());
    for (MessageLog.Appended a : batch) {
      if (a.duplicate()) {
        continue; // delivered when it was first stored
      }
      StoredMessage m = a.message();
      fresh.add(m);
      Room room = rooms.find(m.roomId()).orElse(null);
      if (room != null) {
        frames += feed.deliver(room, m);
      }
    }
    meters.delivered(frames);
    if (!fresh.isEmpty()) {
      otherNodes.accept(fresh);
    }
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
