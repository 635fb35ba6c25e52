package dev.jchat.internal.server;

import dev.jchat.internal.http.HttpHeaders;
import dev.jchat.internal.http.HttpParseException;
import dev.jchat.internal.http.HttpRequest;
import dev.jchat.internal.http.HttpRequestParser;
import dev.jchat.internal.http.HttpResponse;
import dev.jchat.internal.reactor.Connection;
import dev.jchat.internal.reactor.ConnectionHandler;
import dev.jchat.internal.rest.RestResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A connection while it speaks HTTP/1.1: parses requests on the event loop (cheap and bounded),
 * answers them one at a time in order (pipelined requests wait in the buffer), runs REST calls on a
 * worker, and hands the connection to the chat socket on a valid upgrade to {@code /ws}.
 * Loop-owned, except that a worker finishing a request hands back through the loop.
 */
final class HttpHandler implements ConnectionHandler {
  private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(60);
  private static final long PARTIAL_REQUEST_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final HttpRouting routing;
  private final AccessLog accessLog;
  private final HttpRequestParser parser;
  private final int maxBuffered;

  /** Bytes read but not yet parsed: a partial head or pipelined requests. Null when none. */
  private ByteBuffer pending;

  /**
   * When the first byte of the request now arriving came (System.nanoTime), 0 between requests. A
   * request must arrive whole within the request timeout, however slowly its bytes trickle in.
   */
  private long requestStart;

  private boolean busy;
  private boolean done;

  HttpHandler(HttpRouting routing, AccessLog accessLog) {
    this.routing = routing;
    this.accessLog = accessLog;
    this.parser = new HttpRequestParser(routing.maxHeaderBytes(), routing.maxBodyBytes());
    this.maxBuffered = routing.maxHeaderBytes() + 256 * 1024;
  }

  @Override
  public void onRead(Connection c, ByteBuffer data) {
    if (done) {
      data.position(data.limit());
      return;
    }
    if (requestStart == 0 && data.hasRemaining()) {
      requestStart = System.nanoTime();
    }
    if (pending == null && !busy) {
      parseFrom(c, data);
      if (data.hasRemaining() && !done) {
        keep(data);
      }
    } else {
      keep(data);
      if (!busy) {
        parsePending(c);
      }
    }
    if (pending != null && pending.position() > maxBuffered) {
      c.pauseReading();
    }
  }

  private void parsePending(Connection c) {
    pending.flip();
    parseFrom(c, pending);
    if (done) {
      return;
    }
    if (pending.hasRemaining()) {
      pending.compact();
    } else {
      pending = null;
    }
  }

  /** Parses and starts requests until one is in flight, the bytes run out, or it is over. */
  private void parseFrom(Connection c, ByteBuffer in) {
    while (!busy && !done && in.hasRemaining()) {
      HttpRequest request;
      try {
        request = parser.parse(in);
      } catch (HttpParseException e) {
        fail(c, e.status(), e.getMessage());
        return;
      }
      if (request == null) {
        return;
      }
      requestStart = in.hasRemaining() ? System.nanoTime() : 0; // a pipelined one follows
      start(c, request, in);
    }
  }

  private void start(Connection c, HttpRequest request, ByteBuffer rest) {
    long began = accessLog.begin();
    if (routing.isUpgrade(request)) {
      upgrade(c, request, rest, began);
      return;
    }
    byte[] page = routing.page(request);
    if (page != null) {
      c.send(page);
      if (!request.keepAlive()) {
        done = true;
        c.closeAfterFlush();
      }
      return;
    }
    busy = true;
    routing.dispatch(
        request,
        c.remoteAddress(),
        response -> {
          finish(c, request, response);
          accessLog.record(request.method(), request.path(), response.status(), began);
        });
  }

  /** On a worker: queue the response, then let the loop go on with the next request. */
  private void finish(Connection c, HttpRequest request, RestResponse response) {
    boolean keepAlive = request.keepAlive();
    c.send(
        HttpResponse.encode(response.status(), jsonHeaders(response), response.body(), keepAlive));
    if (!keepAlive) {
      c.execute(() -> done = true);
      c.closeAfterFlush();
      return;
    }
    c.execute(
        () -> {
          busy = false;
          c.resumeReading();
          if (pending != null) {
            requestStart = System.nanoTime(); // the next request's time starts now
            parsePending(c);
          }
        });
  }

  private void upgrade(Connection c, HttpRequest request, ByteBuffer rest, long began) {
    HttpRouting.Refusal refusal = routing.checkUpgrade(request);
    if (refusal != null) {
      respondAndClose(c, refusal.status(), refusal.headers(), refusal.response());
      accessLog.record(request.method(), request.path(), refusal.status(), began);
      return;
    }
    accessLog.record(request.method(), request.path(), 101, began);
    done = true;
    c.send(routing.switchingProtocols(request));
    ConnectionHandler socket = routing.openSocket(c);
    c.setHandler(socket);
    if (rest.hasRemaining()) {
      socket.onRead(c, rest); // a client may send its hello right behind the upgrade
    }
    rest.position(rest.limit());
    pending = null;
  }

  private void fail(Connection c, int status, String message) {
    String code = status == 413 || status == 431 ? "too_large" : "bad_request";
    respondAndClose(c, status, List.of(), RestResponse.error(status, code, message));
  }

  private void respondAndClose(
      Connection c, int status, List<String[]> extra, RestResponse response) {
    done = true;
    pending = null;
    HttpHeaders headers = jsonHeaders(response);
    for (String[] h : extra) {
      headers.add(h[0], h[1]);
    }
    c.send(HttpResponse.encode(status, headers, response.body(), false));
    c.closeAfterFlush();
  }

  private static HttpHeaders jsonHeaders(RestResponse response) {
    HttpHeaders h = new HttpHeaders();
    if (response.body().length > 0) {
      h.add("Content-Type", "application/json");
    }
    response.headers().forEach(h::add);
    return h;
  }

  private void keep(ByteBuffer data) {
    if (pending == null) {
      pending = ByteBuffer.allocate(Math.max(data.remaining(), 4096));
    } else if (pending.remaining() < data.remaining()) {
      ByteBuffer bigger =
          ByteBuffer.allocate(
              Math.max(pending.capacity() * 2, pending.position() + data.remaining()));
      pending.flip();
      bigger.put(pending);
      pending = bigger;
    }
    pending.put(data);
  }

  @Override
  public void onTick(Connection c, long now) {
    long idle = now - c.lastReadNanos();
    if (done) {
      // our last response is queued; a peer that never reads it must not hold the connection
      if (idle > IDLE_NANOS) {
        c.close();
      }
      return;
    }
    if (busy) {
      return;
    }
    if (requestStart != 0 && now - requestStart > routing.requestTimeoutNanos()) {
      routing.requestTimedOut();
      respondAndClose(
          c,
          408,
          List.of(),
          RestResponse.error(408, "bad_request", "the request took too long to arrive"));
      return;
    }
    boolean midRequest = pending != null || requestStart != 0;
    if (idle > IDLE_NANOS || (midRequest && idle > PARTIAL_REQUEST_NANOS)) {
      c.close();
    }
  }

  @Override
  public void onClosed(Connection c) {
    pending = null;
  }
}
