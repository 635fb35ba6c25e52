package dev.jchat.cli.client;

import dev.jchat.ChatSocket;
import java.time.Duration;

/**
 * How far the messages typed have got, and waits on it: what script mode paces its reading by and
 * what the console waits for before quitting. Called from the thread that feeds the session (script
 * mode's or the console's); the state it reads is guarded by the {@link SendQueue} and {@link
 * JoinedRooms}.
 */
final class SendProgress {
  private final SendQueue sends;
  private final JoinedRooms rooms;

  SendProgress(SendQueue sends, JoinedRooms rooms) {
    this.sends = sends;
    this.rooms = rooms;
  }

  /**
   * Waits until every message typed is acked or refused, for at most {@code patience} without
   * progress.
   */
  boolean awaitSent(Duration patience) throws InterruptedException {
    return sends.awaitEmpty(patience);
  }

  /**
   * Waits until the last message acked has come back from the server as a message and been shown,
   * for at most {@code patience}; false when it did not.
   */
  boolean awaitOwnEcho(Duration patience) throws InterruptedException {
    ChatSocket.Ack last = sends.lastAck();
    return last == null || rooms.awaitShown(last.roomId(), last.seq(), patience);
  }

  /**
   * Waits while {@code limit} messages or more wait for their ack; false after {@code patience}.
   */
  boolean awaitRoomToSend(int limit, Duration patience) throws InterruptedException {
    return sends.awaitBelow(limit, patience);
  }

  /** How many messages the server refused. */
  int failedSends() {
    return sends.refused();
  }

  /** How many messages wait for their ack. */
  int unackedCount() {
    return sends.size();
  }
}
