package dev.jchat.internal.client;

import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * What a {@link WebSocketConnection} needs to know from its client's builder.
 *
 * @param uri the socket's address, like {@code ws://localhost:5200/ws}
 * @param timeout the longest wait for the welcome and for each answer
 * @param maxPendingRequests requests that may wait for an answer at once
 * @param maxMessageChars the longest server message accepted, in characters
 * @param executor the client's threads, which also fail requests that timed out
 */
public record ConnectionSettings(
    String uri, Duration timeout, int maxPendingRequests, int maxMessageChars, Executor executor) {

  /** The same settings for the socket of the server at {@code base}, like {@code http://h:1}. */
  public ConnectionSettings at(java.net.URI base) {
    String ws = base.resolve("/ws").toString().replaceFirst("^http", "ws");
    return new ConnectionSettings(ws, timeout, maxPendingRequests, maxMessageChars, executor);
  }
}
