package dev.jchat.internal.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.jchat.ChatException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Blocking REST calls, each attempt bounded by the timeout, turning every failure into a {@link
 * ChatException}. A call goes to the current one of the {@link Servers} and moves on to the next
 * (each server once) when the request surely did nothing there: the connection could not be made,
 * or the server answered 503 (it stored nothing). When the request may have been carried out (no
 * answer in time, the connection broke during the exchange), only a call that is safe to repeat
 * ({@code GET}, {@code PUT}, {@code DELETE}) moves on; a {@code POST} fails with {@code
 * unavailable}, and the next call starts at the next server. Thread-safe.
 */
public final class RestCalls {
  /** The methods a server may carry out twice with the same effect. */
  private static final Set<String> REPEATABLE = Set.of("GET", "PUT", "DELETE", "HEAD");

  private final HttpClient http;
  private final Servers servers;
  private final Duration timeout;

  public RestCalls(HttpClient http, Servers servers, Duration timeout) {
    this.http = http;
    this.servers = servers;
    this.timeout = timeout;
  }

  /** Percent-encodes one path segment: a room id may hold spaces. */
  public static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /**
   * Makes one call and returns the answer's JSON body ({@link MissingNode} when it has none).
   *
   * @param body the JSON body, or null for none
   * @param token the bearer token, or null to send none
   */
  public JsonNode call(String method, String path, JsonNode body, String token) {
    List<URI> order = servers.attemptOrder();
    for (int i = 0; ; i++) {
      URI base = order.get(i);
      boolean last = i == order.size() - 1;
      HttpResponse<String> response;
      try {
        response = send(base, request(base, method, path, body, token));
      } catch (Unreached e) {
        servers.failed(base);
        if (!last && (e.notSent || REPEATABLE.contains(method))) {
          continue;
        }
        throw unreachable(last && i > 0 ? servers.anyOf() : base.toString(), e.getCause(), timeout);
      }
      if (response.statusCode() == 503 && !last) {
        servers.failed(base);
        continue;
      }
      if (response.statusCode() != 503) {
        servers.served(base);
      }
      if (response.statusCode() >= 400) {
        throw error(method, path, response);
      }
      return response.body().isBlank()
          ? MissingNode.getInstance()
          : ClientJson.parse(response.body(), "the answer to " + method + " " + path);
    }
  }

  private HttpRequest request(URI base, String method, String path, JsonNode body, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
      request.method(method, HttpRequest.BodyPublishers.ofString(ClientJson.write(body)));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return request.build();
  }

  private HttpResponse<String> send(URI base, HttpRequest request) throws Unreached {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new Unreached(e, notSent(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChatException("unavailable", 0, "interrupted while calling " + base, e);
    }
  }

  /** True when {@code e} says the connection was never made, so the server saw no request. */
  static boolean notSent(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.net.http.HttpConnectTimeoutException
          || t instanceof java.net.ConnectException
          || t instanceof java.nio.channels.UnresolvedAddressException
          || t instanceof java.net.UnknownHostException) {
        return true;
      }
    }
    return false;
  }

  /** A server that could not be reached, or broke off the exchange. */
  private static final class Unreached extends Exception {
    private static final long serialVersionUID = 1L;
    final boolean notSent;

    Unreached(IOException cause, boolean notSent) {
      super(cause);
      this.notSent = notSent;
    }
  }

  /** The {@code unavailable} failure for a server that could not be reached at {@code address}. */
  public static ChatException unreachable(String address, Throwable cause, Duration timeout) {
    return new ChatException(
        "unavailable",
        0,
        "cannot reach the chat server at " + address + ": " + reason(cause, timeout),
        cause);
  }

  private static String reason(Throwable e, Duration timeout) {
    if (e instanceof java.net.http.HttpConnectTimeoutException) {
      return "connecting timed out after " + seconds(timeout);
    }
    if (e instanceof java.net.http.HttpTimeoutException) {
      return "no answer within " + seconds(timeout);
    }
    if (e instanceof java.net.ConnectException) {
      return "connection refused";
    }
    if (e instanceof java.nio.channels.UnresolvedAddressException
        || e instanceof java.net.UnknownHostException) {
      return "unknown host";
    }
    if (e.getMessage() == null && e.getCause() != null && e.getCause() != e) {
      return reason(e.getCause(), timeout);
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private static ChatException error(String method, String path, HttpResponse<String> response) {
    int status = response.statusCode();
    JsonNode error;
    try {
      error = ClientJson.parse(response.body(), "error").path("error");
    } catch (ChatException notJson) {
      error = MissingNode.getInstance();
    }
    String code = error.path("code").asText(codeFor(status));
    String message =
        error.path("message").asText("HTTP " + status + " from " + method + " " + path);
    return new ChatException(code, status, message, retryAfterMillis(response));
  }

  /** A {@code Retry-After} of whole seconds, in milliseconds; 0 when absent or a date. */
  private static long retryAfterMillis(HttpResponse<String> response) {
    try {
      return response.headers().firstValue("Retry-After").map(Long::parseLong).orElse(0L) * 1000;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String codeFor(int status) {
    switch (status) {
      case 400:
        return "bad_request";
      case 401:
        return "unauthorized";
      case 403:
        return "forbidden";
      case 404:
        return "not_found";
      case 409:
        return "conflict";
      case 413:
        return "too_large";
      case 429:
        return "rate_limited";
      default:
        return "internal";
    }
  }
}
