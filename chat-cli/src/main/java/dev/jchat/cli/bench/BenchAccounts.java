package dev.jchat.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Prepares a server with accounts over REST: registers the shared accounts {@code bench-1..N} when
 * missing, signs each in once (sign-ins are slow by design, so their tokens are shared by many
 * sockets), and creates the public rooms when missing. Used from the run's thread only.
 */
final class BenchAccounts {
  /** Requests in flight at once when creating many rooms. */
  private static final int BATCH = 32;

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** Times a request refused with 503 (busy) is sent again. */
  private static final int BUSY_RETRIES = 10;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final BenchConfig config;
  private final HttpClient http;

  BenchAccounts(BenchConfig config) {
    this.config = config;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(config.connectTimeout())
            .build();
  }

  static String userId(int n) {
    return "bench-" + n;
  }

  /** One token per account, {@code bench-1} first; the rooms exist when this returns. */
  List<String> signIn() throws IOException {
    List<CompletableFuture<String>> tokens = new ArrayList<>();
    for (int n = 1; n <= config.users(); n++) {
      String user = userId(n);
      Map<String, Object> body = Map.of("userId", user, "password", config.password());
      tokens.add(
          post("/api/users", body, null, 201, 409)
              .thenCompose(created -> post("/api/sessions", body, null, 201))
              .thenApply(session -> field(session, "token")));
    }
    List<String> result = await(tokens);
    ensureRooms(result.get(0));
    return result;
  }

  private void ensureRooms(String token) throws IOException {
    for (int from = 0; from < config.rooms(); from += BATCH) {
      List<CompletableFuture<JsonNode>> batch = new ArrayList<>();
      for (int r = from; r < Math.min(config.rooms(), from + BATCH); r++) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("roomId", config.roomName(r));
        body.put("name", config.roomName(r));
        body.put("private", false);
        batch.add(post("/api/rooms", body, token, 201, 409));
      }
      await(batch);
    }
  }

  /**
   * POSTs {@code body}; completes with the answer's JSON when its status is one of {@code ok}. A
   * 503 (the server's password hashers are busy) is tried again after its {@code Retry-After}, a
   * few times.
   */
  private CompletableFuture<JsonNode> post(String path, Object body, String token, int... ok) {
    return postTrying(path, body, token, BUSY_RETRIES, ok);
  }

  private CompletableFuture<JsonNode> postTrying(
      String path, Object body, String token, int retries, int... ok) {
    HttpRequest.Builder request;
    try {
      request =
          HttpRequest.newBuilder(config.restBase().resolve(path))
              .timeout(TIMEOUT)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
        .thenCompose(
            response -> {
              if (response.statusCode() == 503 && retries > 0) {
                long seconds = response.headers().firstValueAsLong("Retry-After").orElse(1L);
                Executor later =
                    CompletableFuture.delayedExecutor(Math.min(seconds, 10), TimeUnit.SECONDS);
                return CompletableFuture.supplyAsync(() -> null, later)
                    .thenCompose(x -> postTrying(path, body, token, retries - 1, ok));
              }
              return CompletableFuture.completedFuture(answer(path, response, ok));
            });
  }

  private static JsonNode answer(String path, HttpResponse<String> response, int... ok) {
    for (int status : ok) {
      if (response.statusCode() == status) {
        try {
          return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (IOException e) {
          throw new CompletionException(e);
        }
      }
    }
    throw new CompletionException(
        new IOException(
            "POST " + path + " answered " + response.statusCode() + ": " + response.body()));
  }

  private static String field(JsonNode node, String name) {
    JsonNode value = node.get(name);
    if (value == null || !value.isTextual()) {
      throw new CompletionException(new IOException("The answer has no \"" + name + "\": " + node));
    }
    return value.asText();
  }

  private static <T> List<T> await(List<CompletableFuture<T>> futures) throws IOException {
    List<T> results = new ArrayList<>();
    for (CompletableFuture<T> f : futures) {
      try {
        results.add(f.join());
      } catch (CompletionException e) {
        Throwable cause = e.getCause();
        throw cause instanceof IOException
            ? (IOException) cause
            : new IOException("REST call failed: " + cause, cause);
      }
    }
    return results;
  }

  /** The REST base this prepares, for messages. */
  URI base() {
    return config.restBase();
  }
}
