package dev.jchat.internal.server;

import dev.jchat.internal.http.HttpRequest;
import dev.jchat.internal.reactor.Connection;
import dev.jchat.internal.reactor.ConnectionHandler;
import dev.jchat.internal.rest.RestApi;
import dev.jchat.internal.rest.RestResponse;
import dev.jchat.internal.service.ApiError;
import dev.jchat.internal.service.LimitCounters;
import dev.jchat.internal.service.LogText;
import dev.jchat.internal.socket.SocketGateway;
import dev.jchat.internal.web.StaticFiles;
import dev.jchat.internal.websocket.WebSocketProtocol;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Where a complete HTTP request goes: {@code /ws} upgrades to the chat socket (checked on the
 * loop), {@code /api/...} to the REST API on a worker, anything else is 404. Thread-safe.
 */
final class HttpRouting {
  private static final Logger LOG = System.getLogger(HttpRouting.class.getName());

  private final RestApi rest;
  private final SocketGateway sockets;
  private final Executor workers;
  private final Executor passwords;
  private final LimitCounters limits;
  private final Set<String> allowedOrigins;
  private final int maxHeaderBytes;
  private final int maxBodyBytes;
  private final long requestTimeoutNanos;
  private final StaticFiles web;

  HttpRouting(
      RestApi rest,
      SocketGateway sockets,
      Executor workers,
      Executor passwords,
      LimitCounters limits,
      Set<String> allowedOrigins,
      int maxHeaderBytes,
      int maxBodyBytes,
      long requestTimeoutNanos,
      StaticFiles web) {
    this.rest = rest;
    this.sockets = sockets;
    this.workers = workers;
    this.passwords = passwords;
    this.limits = limits;
    this.allowedOrigins = allowedOrigins;
    this.maxHeaderBytes = maxHeaderBytes;
    this.maxBodyBytes = maxBodyBytes;
    this.requestTimeoutNanos = requestTimeoutNanos;
    this.web = web;
  }

  int maxHeaderBytes() {
    return maxHeaderBytes;
  }

  int maxBodyBytes() {
    return maxBodyBytes;
  }

  long requestTimeoutNanos() {
    return requestTimeoutNanos;
  }

  /** Counts a connection closed because its request did not arrive in time. */
  void requestTimedOut() {
    limits.tripped("request-timeout");
  }

  /** A request for the chat socket (valid or not: {@link #checkUpgrade} says). */
  boolean isUpgrade(HttpRequest r) {
    return r.path().equals("/ws") && r.headers().containsToken("Upgrade", "websocket");
  }

  /** Why an upgrade request is refused. */
  record Refusal(int status, List<String[]> headers, RestResponse response) {}

  /** Null when the upgrade is valid (RFC 6455 section 4.2.1), else the refusal to send. */
  Refusal checkUpgrade(HttpRequest r) {
    if (!r.method().equals("GET") || !r.version().equals("HTTP/1.1")) {
      return refusal(400, "a WebSocket upgrade must be an HTTP/1.1 GET");
    }
    if (!r.headers().containsToken("Connection", "upgrade")) {
      return refusal(400, "a WebSocket upgrade needs Connection: Upgrade");
    }
    if (!"13".equals(trim(r.header("Sec-WebSocket-Version")))) {
      RestResponse body =
          RestResponse.error(426, "bad_request", "only WebSocket version 13 is supported");
      return new Refusal(
          426, List.<String[]>of(new String[] {"Sec-WebSocket-Version", "13"}), body);
    }
    if (!isValidKey(trim(r.header("Sec-WebSocket-Key")))) {
      return refusal(400, "Sec-WebSocket-Key must be 16 bytes in base64");
    }
    String origin = r.header("Origin");
    if (origin != null
        && !allowedOrigins.isEmpty()
        && !allowedOrigins.contains(origin.trim())
        && !isSameOrigin(origin.trim(), r.header("Host"))) {
      return new Refusal(
          403, List.of(), RestResponse.error(403, "forbidden", "origin not allowed"));
    }
    return null;
  }

  byte[] switchingProtocols(HttpRequest r) {
    String accept = WebSocketProtocol.acceptKey(trim(r.header("Sec-WebSocket-Key")));
    return ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: "
            + accept
            + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  ConnectionHandler openSocket(Connection c) {
    return sockets.open(c);
  }

  /** Answers a non-upgrade request; the callback runs on a worker. */
  void dispatch(HttpRequest r, String address, Consumer<RestResponse> reply) {
    List<String> segments = r.pathSegments();
    if (segments.isEmpty() || !segments.get(0).equals("api")) {
      reply.accept(staticPath(r));
      return;
    }
    List<String> path =
        segments.subList(1, segments.size()).stream().filter(s -> !s.isEmpty()).toList();
    RestApi.Call call =
        new RestApi.Call(
            r.method(),
            path,
            r.query(),
            r.header("Authorization"),
            r.header("Content-Type"),
            r.body(),
            address);
    Executor executor = hashesAPassword(r.method(), path) ? passwords : workers;
    Runnable task =
        () -> {
          RestResponse response;
          try {
            response = rest.handle(call);
          } catch (RuntimeException | Error e) {
            // an Error too: the connection must get its answer, or it stays busy for good
            LOG.log(
                Level.ERROR,
                "unexpected failure in " + r.method() + " " + LogText.quote(r.path()),
                e);
            response =
                RestResponse.error(500, "internal", "the server could not complete the request");
          }
          reply.accept(response);
        };
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      // sign-ups and logins wait for a bounded hashing pool; past its queue they are refused at
      // once, and the workers that serve everyone else never see the flood
      limits.tripped("password-queue");
      reply.accept(
          RestResponse.error(
              ApiError.unavailable("too many sign-ins at once; try again in a moment", 1000)));
    }
  }

  /** Sign-up and login run the slow password hash, on their own pool. */
  private static boolean hashesAPassword(String method, List<String> path) {
    return method.equals("POST")
        && path.size() == 1
        && (path.get(0).equals("users") || path.get(0).equals("sessions"));
  }

  /** No static files yet (the browser client comes later): everything outside /api is 404. */
  private static RestResponse staticPath(HttpRequest r) {
    if (r.path().equals("/ws")) {
      return RestResponse.error(426, "bad_request", "the chat socket needs a WebSocket upgrade");
    }
    return RestResponse.error(404, "not_found", "no such path");
  }

  /**
   * The complete response when the request is for a file of the browser client (the web page is
   * on), else null. Answered from memory, so callers may call it on the event loop.
   */
  byte[] page(HttpRequest r) {
    return web == null ? null : web.respond(r);
  }

  /**
   * A page served from this server's own address ({@code Origin} is {@code http://} or {@code
   * https://} followed by the request's {@code Host}), so the page the server itself serves needs
   * no allow-list entry; {@code https} covers a TLS proxy in front that keeps {@code Host}.
   */
  static boolean isSameOrigin(String origin, String host) {
    if (host == null || host.isBlank()) {
      return false;
    }
    String h = host.trim();
    return origin.equalsIgnoreCase("http://" + h) || origin.equalsIgnoreCase("https://" + h);
  }

  private static Refusal refusal(int status, String message) {
    return new Refusal(status, List.of(), RestResponse.error(status, "bad_request", message));
  }

  private static String trim(String s) {
    return s == null ? null : s.trim();
  }

  private static boolean isValidKey(String key) {
    if (key == null) {
      return false;
    }
    try {
      return Base64.getDecoder().decode(key).length == 16;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
