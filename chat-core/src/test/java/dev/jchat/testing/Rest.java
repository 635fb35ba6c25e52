package dev.jchat.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The REST API through the JDK's HttpClient: plain calls that return status and parsed body, and
 * shortcuts for the set-up steps (register, log in, create a room) that assert success. Every
 * request with a body says {@code Content-Type: application/json}, as protocol v1.1 requires.
 */
public final class Rest {
  public static final String PASSWORD = "correct horse battery";
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final HttpClient http;
  private final String base;

  /** REST calls to the server on {@code port} through a client of their own. */
  public Rest(int port) {
    this(ChatServerExtension.newHttpClient(), port);
  }

  public Rest(HttpClient http, int port) {
    this.http = http;
    this.base = "http://127.0.0.1:" + port;
  }

  /** A user with a token, ready to use. */
  public record User(String userId, String token) {}

  /** A response: status, raw body and the body parsed as JSON ({@code null} when it is not). */
  public record Response(int status, String body, JsonNode json) {

    public Response assertStatus(int expected) {
      assertEquals(expected, status, () -> "status; body was: " + TestJson.abbreviate(body));
      return this;
    }

    /** Asserts the status and the contract's error shape {@code {"error":{"code","message"}}}. */
    public Response assertError(int expectedStatus, String expectedCode) {
      assertStatus(expectedStatus);
      assertErrorShape(expectedCode);
      return this;
    }

    /** Asserts the contract's error shape and returns its code. */
    public String errorCode() {
      String code = json == null ? null : json.path("error").path("code").asText(null);
      assertErrorShape(code);
      return code;
    }

    public Response assertErrorShape(String expectedCode) {
      if (json == null) {
        fail("error body is not JSON: " + TestJson.abbreviate(body));
      }
      JsonNode error = json.path("error");
      assertTrue(error.isObject(), () -> "no error object in " + body);
      assertEquals(expectedCode, error.path("code").asText(null), () -> "error code in " + body);
      assertTrue(error.path("message").isTextual(), () -> "error message missing in " + body);
      assertFalse(error.path("message").asText().isBlank(), () -> "blank error message in " + body);
      return this;
    }
  }

  public static String encode(String pathSegment) {
    return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  public static String roomPath(String roomId) {
    return "/api/rooms/" + encode(roomId);
  }

  public Response get(String path, String token) {
    return send(request(path, token).GET());
  }

  public Response post(String path, String token, String json) {
    return send(
        request(path, token)
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofString(json)));
  }

  public Response put(String path, String token) {
    return send(request(path, token).PUT(BodyPublishers.noBody()));
  }

  public Response delete(String path, String token) {
    return send(request(path, token).DELETE());
  }

  /** Any request, with a raw {@code Authorization} header value (or none when null). */
  public Response send(String method, String path, String authorization, String body) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(TIMEOUT)
            .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    if (body != null) {
      builder.header("Content-Type", "application/json");
    }
    return send(builder);
  }

  /**
   * Any request with a bearer {@code token} (none when null) and a JSON {@code body} (none when
   * null).
   */
  public Response call(String method, String path, String body, String token) {
    return send(method, path, token == null ? null : "Bearer " + token, body);
  }

  public Response register(String userId, String password) {
    return post("/api/users", null, TestJson.object("userId", userId, "password", password));
  }

  public Response login(String userId, String password) {
    return post("/api/sessions", null, TestJson.object("userId", userId, "password", password));
  }

  /** Registers {@code userId} with {@link #PASSWORD}, asserting 201. */
  public void registered(String userId) {
    register(userId, PASSWORD).assertStatus(201);
  }

  /** Registers {@code userId}, asserting 201. */
  public void registered(String userId, String password) {
    register(userId, password).assertStatus(201);
  }

  /** Logs in with {@link #PASSWORD}, asserting 201, and returns the token. */
  public String token(String userId) {
    return token(userId, PASSWORD);
  }

  /** Logs in, asserting 201, and returns the token. */
  public String token(String userId, String password) {
    return login(userId, password).assertStatus(201).json().path("token").asText();
  }

  /** Registers and logs in, asserting success; returns the token. */
  public String signUp(String userId, String password) {
    registered(userId, password);
    return token(userId, password);
  }

  /** A freshly registered and logged-in user whose id starts with {@code prefix}. */
  public User newUser(String prefix) {
    String userId = Ids.unique(prefix);
    registered(userId);
    return new User(userId, token(userId));
  }

  public Response createRoom(
      String token, String roomId, boolean isPrivate, List<String> participants) {
    return post(
        "/api/rooms",
        token,
        TestJson.object("roomId", roomId, "private", isPrivate, "participants", participants));
  }

  /** A fresh public room created by {@code owner}, asserting 201. */
  public String newPublicRoom(User owner) {
    String roomId = Ids.unique("room");
    createRoom(owner.token(), roomId, false, List.of()).assertStatus(201);
    return roomId;
  }

  /** A fresh private room of {@code owner} and {@code participants}, asserting 201. */
  public String newPrivateRoom(User owner, String... participants) {
    String roomId = Ids.unique("secret");
    createRoom(owner.token(), roomId, true, List.of(participants)).assertStatus(201);
    return roomId;
  }

  /** The room's messages via REST, asserting 200; {@code query} like {@code "after=3&limit=2"}. */
  public JsonNode messages(String token, String roomId, String query) {
    String path = roomPath(roomId) + "/messages" + (query.isEmpty() ? "" : "?" + query);
    JsonNode messages = get(path, token).assertStatus(200).json().path("messages");
    assertTrue(messages.isArray(), () -> "no messages array from " + path);
    return messages;
  }

  /** The whole history of a room, ascending, paging through REST 200 at a time. */
  public List<JsonNode> history(String token, String roomId) {
    List<JsonNode> all = new ArrayList<>();
    long after = 0;
    while (true) {
      JsonNode page = messages(token, roomId, "limit=200&after=" + after);
      page.forEach(all::add);
      if (page.size() < 200) {
        return all;
      }
      after = page.get(page.size() - 1).get("seq").asLong();
    }
  }

  private HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT);
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  private Response send(HttpRequest.Builder request) {
    try {
      HttpRequest built = request.build();
      var response = http.send(built, BodyHandlers.ofString(StandardCharsets.UTF_8));
      String body = response.body();
      OpenApiContract.assertConforms(
          built.method(), built.uri().getRawPath(), response.statusCode(), body);
      JsonNode json = null;
      if (!body.isEmpty()) {
        try {
          json = TestJson.MAPPER.readTree(body);
        } catch (IOException notJson) {
          // left null: assertions on the body report the raw text
        }
      }
      return new Response(response.statusCode(), body, json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
