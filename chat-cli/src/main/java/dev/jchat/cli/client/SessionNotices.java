package dev.jchat.cli.client;

import dev.jchat.ChatException;
import java.time.Duration;
import java.util.Locale;

/**
 * Everything a chat session says to its user, worded in one place: each method renders one notice
 * or error and hands it to the {@link Output}. Thread-safe: it keeps no state of its own.
 */
final class SessionNotices {
  private final Output out;
  private final Renderer render;

  SessionNotices(Output out, Renderer render) {
    this.out = out;
    this.render = render;
  }

  // Room commands.

  void noRoomToSay() {
    error("you are in no room: /join ROOM first (/rooms lists them)");
  }

  void tooManyWaiting(int waiting) {
    error(waiting + " messages are waiting for the server already; try again in a moment");
  }

  void sendsOnceReconnected() {
    notice("offline: the message goes out once reconnected");
  }

  void nowIn(String roomId) {
    notice("now in " + roomId);
  }

  void joinsOnceReconnected(String roomId) {
    notice("offline: joining " + roomId + " once reconnected");
  }

  void cannotJoin(String roomId, ChatException e) {
    error("cannot join " + roomId + ": " + e.getMessage());
  }

  void inNoRoom() {
    error("you are in no room");
  }

  void notIn(String roomId) {
    error("you are not in " + roomId);
  }

  void leaving(String roomId, ChatException e) {
    error("leaving " + roomId + ": " + e.getMessage());
  }

  // Membership changes the server announces (protocol v1.1).

  /** {@code by} made this user a member of {@code roomId}. */
  void addedTo(String roomId, String by, String self) {
    notice(
        (by.equals(self) ? "you were added to " : by + " added you to ")
            + roomId
            + "; /join "
            + roomId
            + " to chat there");
  }

  /**
   * This user is no longer a member of {@code roomId}; {@code now} is the current room after it, or
   * null when in none.
   */
  void removedFrom(String roomId, String by, String self, String now) {
    String what =
        by.equals(self)
            ? "you left " + roomId + " (from another device)"
            : "you were removed from " + roomId + " by " + by;
    notice(what + (now == null ? "" : "; now in " + now));
  }

  /** Left {@code roomId}; {@code now} is the current room, or null when in none. */
  void left(String roomId, String now) {
    notice("left " + roomId + (now == null ? "; /join a room to chat" : "; now in " + now));
  }

  void cannotSwitch(String roomId) {
    error("you are not in " + roomId + ": /join " + roomId);
  }

  void historyOffline() {
    error("offline: try again once reconnected");
  }

  void historyFailed(String roomId, ChatException e) {
    error("history of " + roomId + ": " + e.getMessage());
  }

  /** A message the server refused, or another problem with sending. */
  void sendProblem(String problem) {
    error(problem);
  }

  // The connection.

  void connectFailed(ChatException e) {
    error(e.getMessage() + "; trying again in the background");
  }

  /** Connected again; {@code server} names the server when there are several, else null. */
  void reconnected(String server) {
    notice(server == null ? "reconnected" : "reconnected to " + server);
  }

  void stillOffline(ChatException e, Duration nextTry) {
    notice("still offline (" + reason(e) + "), next try in " + seconds(nextTry));
  }

  void signInRefused() {
    error("the server no longer accepts this sign-in: /logout, then sign in again");
  }

  void connectionLost(int code, String reason) {
    error("connection lost (" + closeReason(code, reason) + "); reconnecting");
  }

  /** An error the server sent that answers no request. */
  void serverError(ChatException e) {
    error(e.code() + ": " + e.getMessage());
  }

  private void notice(String text) {
    out.notice(render.notice(text));
  }

  private void error(String text) {
    out.notice(render.error(text));
  }

  /**
   * The end of a failure's message: "connection refused" of "cannot reach ...: connection refused".
   */
  private static String reason(ChatException e) {
    String message = String.valueOf(e.getMessage());
    int colon = message.lastIndexOf(": ");
    return colon < 0 ? message : message.substring(colon + 2);
  }

  private static String closeReason(int code, String reason) {
    String what;
    switch (code) {
      case 1000:
        what = "closed by the server";
        break;
      case 1001:
        what = "the server is going away";
        break;
      case 1006:
        what = "the connection broke";
        break;
      case 1008:
        what = "the server refused this connection";
        break;
      case 1009:
        what = "a message was too big";
        break;
      default:
        what = "closed with code " + code;
    }
    return reason == null || reason.isBlank() ? what : what + ": " + reason;
  }

  private static String seconds(Duration d) {
    return d.toMillis() < 1000
        ? d.toMillis() + " ms"
        : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
