package dev.jchat.internal.client;

import dev.jchat.ChatException;
import dev.jchat.ChatSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Opens a chat socket on the current one of the {@link Servers}, moving on to the next (each server
 * once) while a server cannot be reached or does not welcome the socket ({@code unavailable}); a
 * refused token ({@code unauthorized}) is final, since every node shares the sessions. A socket
 * that later closes abnormally (the connection broke, or the server went away or is restarting)
 * moves the client on, before its listener hears of it, so a reconnect made from {@code onClose}
 * goes to the next server. Stateless; thread-safe.
 */
public final class SocketFailover {
  /** Close codes after which the server is not asked first again: it is gone or going. */
  private static final Set<Integer> SERVER_GONE = Set.of(1001, 1006, 1011, 1012, 1013, 1014);

  private SocketFailover() {}

  /** Opens a socket; the future completes once welcomed, or fails with the last failure. */
  public static CompletableFuture<ChatSocket> open(
      HttpClient http,
      ConnectionSettings settings,
      Servers servers,
      String token,
      ChatSocket.Listener listener) {
    return attempt(http, settings, servers, servers.attemptOrder(), 0, token, listener);
  }

  private static CompletableFuture<ChatSocket> attempt(
      HttpClient http,
      ConnectionSettings settings,
      Servers servers,
      List<URI> order,
      int i,
      String token,
      ChatSocket.Listener listener) {
    URI base = order.get(i);
    return WebSocketConnection.open(
            http, settings.at(base), token, new Watched(listener, servers, base))
        .handle(
            (socket, failure) -> {
              if (failure == null) {
                servers.served(base);
                return CompletableFuture.completedFuture(socket);
              }
              Throwable cause = failure instanceof CompletionException c ? c.getCause() : failure;
              boolean unreachable =
                  cause instanceof ChatException e && e.code().equals("unavailable");
              if (unreachable) {
                servers.failed(base);
              }
              if (!unreachable || i == order.size() - 1) {
                return CompletableFuture.<ChatSocket>failedFuture(cause);
              }
              return attempt(http, settings, servers, order, i + 1, token, listener);
            })
        .thenCompose(f -> f);
  }

  /** Passes every event on; an abnormal close first moves the client past this server. */
  private record Watched(ChatSocket.Listener listener, Servers servers, URI base)
      implements ChatSocket.Listener {

    @Override
    public void onMessage(dev.jchat.ChatMessage message) {
      listener.onMessage(message);
    }

    @Override
    public void onPresence(String roomId, String userId, String event) {
      listener.onPresence(roomId, userId, event);
    }

    @Override
    public void onJoined(ChatSocket.Joined joined) {
      listener.onJoined(joined);
    }

    @Override
    public void onMembership(String roomId, String event, String by) {
      listener.onMembership(roomId, event, by);
    }

    @Override
    public void onError(ChatException error) {
      listener.onError(error);
    }

    @Override
    public void onClose(int code, String reason) {
      if (SERVER_GONE.contains(code)) {
        servers.failed(base);
      }
      listener.onClose(code, reason);
    }
  }
}
