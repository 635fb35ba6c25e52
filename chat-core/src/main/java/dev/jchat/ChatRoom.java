package dev.jchat;

import java.util.List;

/**
 * A room as the server describes it.
 *
 * @param roomId its id: letters, digits, {@code _ . -} and spaces
 * @param name its display name
 * @param isPrivate true when only its members may see, read and join it
 * @param members how many members it has
 * @param online how many users are in it now
 * @param lastSeq its latest message's {@code seq}, 0 when it has none
 * @param memberIds its members' user ids; empty except from {@link ChatClient#room(String)}
 */
public record ChatRoom(
    String roomId,
    String name,
    boolean isPrivate,
    int members,
    int online,
    long lastSeq,
    List<String> memberIds) {
  /** Copies the member list, so a {@code ChatRoom} never changes. */
  public ChatRoom {
    memberIds = List.copyOf(memberIds);
  }
}
