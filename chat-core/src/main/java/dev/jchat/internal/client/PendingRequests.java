package dev.jchat.internal.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jchat.ChatException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The socket requests waiting for the server's answer, at most a fixed number. Answers that echo a
 * {@code ref} are matched by it; the others ({@code joined}, {@code left}, {@code history}, {@code
 * rooms}) by answer type and room, oldest first, since the server answers a connection's requests
 * in order. Thread-safe.
 */
public final class PendingRequests {
  private final int max;
  private final Map<String, Pending> byRef = new LinkedHashMap<>();
  private String closedReason;

  public PendingRequests(int max) {
    this.max = max;
  }

  /**
   * One request.
   *
   * @param ref its {@code ref}
   * @param answerType the {@code type} of the frame that answers it
   * @param roomId its room, or null when it has none
   * @param description what it is, for error messages: {@code join 'general'}
   */
  public record Pending(
      String ref,
      String answerType,
      String roomId,
      String description,
      CompletableFuture<JsonNode> future) {}

  /**
   * Registers a request.
   *
   * @throws ChatException {@code rate_limited} when {@code max} requests are waiting already,
   *     {@code unavailable} after {@link #closeAll}
   */
  public synchronized Pending add(
      String ref, String answerType, String roomId, String description) {
    if (closedReason != null) {
      throw new ChatException("unavailable", 0, closedReason);
    }
    if (byRef.size() >= max) {
      throw new ChatException(
          "rate_limited", 0, max + " requests are already waiting for the server's answer");
    }
    if (byRef.containsKey(ref)) {
      throw new IllegalArgumentException("ref already waiting for an answer: " + ref);
    }
    Pending p = new Pending(ref, answerType, roomId, description, new CompletableFuture<>());
    byRef.put(ref, p);
    return p;
  }

  /**
   * Removes and returns the request an answer belongs to, or null when none does.
   *
   * @param ref the answer's {@code ref}, or null when it has none
   * @param roomId the answer's room, or null when it has none
   */
  public synchronized Pending take(String answerType, String ref, String roomId) {
    if (ref != null) {
      Pending p = byRef.get(ref);
      if (p != null && p.answerType.equals(answerType)) {
        return byRef.remove(ref);
      }
    }
    for (Iterator<Pending> it = byRef.values().iterator(); it.hasNext(); ) {
      Pending p = it.next();
      if (p.answerType.equals(answerType)
          && !p.answerType.equals("ack")
          && Objects.equals(p.roomId, roomId)) {
        it.remove();
        return p;
      }
    }
    return null;
  }

  /**
   * Removes and returns the request an {@code error} answers: the one with its {@code ref}, or
   * without one, the oldest request other than a send in the error's room; null when none.
   */
  public synchronized Pending takeForError(String ref, String roomId) {
    if (ref != null) {
      return byRef.remove(ref);
    }
    if (roomId == null) {
      return null;
    }
    for (Iterator<Pending> it = byRef.values().iterator(); it.hasNext(); ) {
      Pending p = it.next();
      if (!p.answerType.equals("ack") && roomId.equals(p.roomId)) {
        it.remove();
        return p;
      }
    }
    return null;
  }

  /** Removes a request (it timed out); false when it was answered already. */
  public synchronized boolean remove(Pending p) {
    return byRef.remove(p.ref, p);
  }

  /** How many requests are waiting. */
  public synchronized int size() {
    return byRef.size();
  }

  /** Refuses further requests and returns the waiting ones, for the caller to fail. */
  public synchronized List<Pending> closeAll(String reason) {
    closedReason = reason;
    List<Pending> all = new ArrayList<>(byRef.values());
    byRef.clear();
    return all;
  }
}
