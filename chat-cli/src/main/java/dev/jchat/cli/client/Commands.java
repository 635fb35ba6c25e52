package dev.jchat.cli.client;

import dev.jchat.ChatClient;
import dev.jchat.ChatException;
import dev.jchat.ChatRoom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * Carries out what is typed at the chat prompt: text goes to the current room, commands to the
 * {@link ChatSession} or the REST API. Runs on the console's thread.
 */
final class Commands {
  /** What the console does after a line. */
  enum Outcome {
    CONTINUE,
    LOGOUT,
    QUIT
  }

  /**
   * The help text, lines separated by {@code %n}: also the footer of {@code chat client --help}.
   */
  static final String HELP_TEXT =
      "Type a message and press Enter to send it to the current room.%n"
          + "  /rooms                          list the rooms you can see%n"
          + "  /join ROOM                      join a room and make it the current one%n"
          + "  /create ROOM [--private] [MEMBER...]%n"
          + "                                  create and join a room (private: members only)%n"
          + "  /leave [ROOM]                   leave the current room, or ROOM%n"
          + "  /switch ROOM                    make another joined room the current one%n"
          + "  /who                            members of the current room, who is online%n"
          + "  /history [N]                    show N older messages (default 20, max 200)%n"
          + "  /logout                         sign out, then sign in again%n"
          + "  /quit                           leave (or Ctrl-D); Ctrl-C clears the line%n"
          + "  /help                           this list%n"
          + "Room ids may hold spaces: /join, /switch and /leave take the rest of the%n"
          + "line (/join Room 1); /create needs quotes: /create \"Book club\" --private bob%n"
          + "Messages from joined rooms other than the current one show the room: [random].%n"
          + "Start a message with // to send one that starts with /.%n"
          + "Tab completes commands and room names; Up and Down recall earlier lines.";

  /** {@link #HELP_TEXT} as lines. */
  static final List<String> HELP = List.of(HELP_TEXT.split("%n"));

  private final ChatClient client;
  private final ChatSession session;
  private final Output out;
  private final Renderer render;
  private static final long RELEARN_AFTER_NANOS = 3_000_000_000L;
  private final Set<String> knownRooms = new ConcurrentSkipListSet<>();
  private volatile long learnedAt = System.nanoTime() - RELEARN_AFTER_NANOS;

  Commands(ChatClient client, ChatSession session, Output out, Renderer render) {
    this.client = client;
    this.session = session;
    this.out = out;
    this.render = render;
  }

  /**
   * Room ids to complete: the rooms this user can see (asked again when the last answer is older
   * than a few seconds, so new rooms complete too) and the joined ones.
   */
  Collection<String> roomNames() {
    if (System.nanoTime() - learnedAt > RELEARN_AFTER_NANOS) {
      learnRooms();
    }
    Set<String> names = new TreeSet<>(knownRooms);
    names.addAll(session.joinedRooms());
    return names;
  }

  /** Learns the room ids for completion; failures are left for the commands to report. */
  void learnRooms() {
    learnedAt = System.nanoTime();
    try {
      Set<String> visible = new TreeSet<>();
      client.rooms().forEach(room -> visible.add(room.roomId()));
      knownRooms.retainAll(visible); // a private room this user was removed from goes
      knownRooms.addAll(visible);
    } catch (ChatException ignored) {
      // completion then knows fewer rooms; /rooms says what is wrong
    }
  }

  Outcome run(String line) {
    Input input = InputParser.parse(line);
    try {
      return run(input);
    } catch (ChatException e) {
      out.notice(
          render.error(
              e.code().equals("unavailable")
                  ? e.getMessage()
                  : e.getMessage() + " (" + e.code() + ")"));
      return Outcome.CONTINUE;
    }
  }

  private Outcome run(Input input) {
    if (input instanceof Input.Text text) {
      session.say(text.text());
    } else if (input instanceof Input.Join join) {
      session.join(join.roomId());
    } else if (input instanceof Input.Switch to) {
      session.switchTo(to.roomId());
    } else if (input instanceof Input.Leave leave) {
      session.leave(leave.roomId());
    } else if (input instanceof Input.History history) {
      session.history(history.count());
    } else if (input instanceof Input.Rooms) {
      rooms();
    } else if (input instanceof Input.Create create) {
      create(create);
    } else if (input instanceof Input.Who) {
      who();
    } else if (input instanceof Input.Help) {
      HELP.forEach(out::notice);
    } else if (input instanceof Input.Unknown unknown) {
      out.notice(
          render.error("unknown command " + unknown.command() + ": type /help for the list"));
    } else if (input instanceof Input.Invalid invalid) {
      out.notice(render.error(invalid.problem()));
    } else if (input instanceof Input.Logout) {
      return logout();
    } else if (input instanceof Input.Quit) {
      return Outcome.QUIT;
    }
    return Outcome.CONTINUE;
  }

  private void rooms() {
    List<ChatRoom> rooms = client.rooms();
    List<String> joined = session.joinedRooms();
    String current = session.currentRoom();
    int width = 4;
    for (ChatRoom room : rooms) {
      width = Math.max(width, room.roomId().length());
    }
    List<String> lines = new ArrayList<>();
    lines.add(render.heading(rooms.size() + " " + JoinedRooms.plural(rooms.size(), "room")));
    for (ChatRoom room : rooms) {
      knownRooms.add(room.roomId());
      String mark =
          room.roomId().equals(current)
              ? "  (current)"
              : joined.contains(room.roomId()) ? "  (joined)" : "";
      lines.add(
          String.format(
              Locale.ROOT,
              "  %-" + width + "s  %-7s  %3d %-7s  %3d online%s",
              Renderer.safe(room.roomId()),
              room.isPrivate() ? "private" : "public",
              room.members(),
              JoinedRooms.plural(room.members(), "member"),
              room.online(),
              mark));
    }
    lines.forEach(out::notice);
  }

  private void create(Input.Create create) {
    client.createRoom(create.roomId(), null, create.isPrivate(), create.members());
    knownRooms.add(create.roomId());
    out.notice(
        render.notice(
            "created " + (create.isPrivate() ? "private room " : "room ") + create.roomId()));
    session.join(create.roomId());
  }

  private void who() {
    String room = session.currentRoom();
    if (room == null) {
      out.notice(render.error("you are in no room"));
      return;
    }
    List<String> online = session.online(room);
    List<String> members = client.room(room).memberIds();
    out.notice(
        render.notice(
            "online in "
                + room
                + ": "
                + (online.isEmpty() ? "nobody" : String.join(", ", online))));
    if (!members.isEmpty()) {
      out.notice(
          render.notice(
              members.size()
                  + " "
                  + JoinedRooms.plural(members.size(), "member")
                  + ": "
                  + String.join(", ", members)));
    }
  }

  private Outcome logout() {
    session.close(); // first, so that the server closing the socket is no lost connection
    try {
      client.logout();
    } catch (ChatException e) {
      out.notice(
          render.error(
              "signing out on the server failed (" + e.getMessage() + "); signed out here"));
    }
    return Outcome.LOGOUT;
  }
}
