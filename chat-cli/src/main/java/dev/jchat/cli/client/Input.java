package dev.jchat.cli.client;

import java.util.List;

/** One line typed at the chat prompt, parsed by {@link InputParser}. */
sealed interface Input {

  /** A message for the current room. */
  record Text(String text) implements Input {}

  /** An empty or blank line: nothing to do. */
  record Blank() implements Input {}

  /** {@code /rooms}: list the rooms this user can see. */
  record Rooms() implements Input {}

  /** {@code /join ROOM}: join a room (or switch to it, when joined already). */
  record Join(String roomId) implements Input {}

  /** {@code /create ROOM [--private] [MEMBER...]}: create a room and join it. */
  record Create(String roomId, boolean isPrivate, List<String> members) implements Input {
    public Create {
      members = List.copyOf(members);
    }
  }

  /** {@code /leave [ROOM]}: leave a room, the current one when null. */
  record Leave(String roomId) implements Input {}

  /** {@code /switch ROOM}: make a joined room the current one. */
  record Switch(String roomId) implements Input {}

  /** {@code /who}: the current room's members, and who is online. */
  record Who() implements Input {}

  /** {@code /history [N]}: show up to {@code count} messages older than those shown. */
  record History(int count) implements Input {}

  /** {@code /logout}: end the session and sign in again. */
  record Logout() implements Input {}

  /** {@code /quit}: leave the client. */
  record Quit() implements Input {}

  /** {@code /help}: list the commands. */
  record Help() implements Input {}

  /** A command the client does not know. */
  record Unknown(String command) implements Input {}

  /** A known command used the wrong way; {@code problem} says how to use it. */
  record Invalid(String problem) implements Input {}
}
