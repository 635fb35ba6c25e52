package dev.jchat.internal.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A room as clients see it (REST room list, {@code rooms} frame, GET room). {@code memberIds} is
 * present only for a single room.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RoomInfo(
    String roomId,
    String name,
    @JsonProperty("private") boolean isPrivate,
    int members,
    int online,
    long lastSeq,
    List<String> memberIds) {}
