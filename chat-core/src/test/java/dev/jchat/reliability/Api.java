package dev.jchat.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The REST API through the JDK's HttpClient, returning parsed JSON. */
final class Api {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  final int port;

  Api(int port) {
    this.port = port;
  }

  record Reply(int status, JsonNode body, String raw) {
    String errorCode() {
      return body == null ? null : body.path("error").path("code").asText(null);
    }
  }

  Reply call(String method, String path, String body, String token) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(20));
    if (token != null) b.header("Authorization", "Bearer " + token);
    if (body != null) b.header("Content-Type", "application/json");
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body().isEmpty() ? null : parse(r.body()), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  void register(String userId, String password) {
    ObjectNode body = JSON.createObjectNode().put("userId", userId).put("password", password);
    Reply r = call("POST", "/api/users", body.toString(), null);
    assertEquals(201, r.status(), r.raw());
  }

  String login(String userId, String password) {
    Reply r = call("POST", "/api/sessions", loginBody(userId, password), null);
    assertEquals(201, r.status(), r.raw());
    return r.body().get("token").asText();
  }

  static String loginBody(String userId, String password) {
    return JSON.createObjectNode().put("userId", userId).put("password", password).toString();
  }

  /** Registers and signs in; returns the token. */
  String signUp(String userId, String password) {
    register(userId, password);
    return login(userId, password);
  }

  /** The whole history of a room, ascending, paging through REST. */
  List<JsonNode> history(String token, String roomId) {
    List<JsonNode> all = new ArrayList<>();
    long after = 0;
    while (true) {
      Reply r =
          call(
              "GET",
              "/api/rooms/" + encode(roomId) + "/messages?limit=200&after=" + after,
              null,
              token);
      assertEquals(200, r.status(), r.raw());
      JsonNode page = r.body().get("messages");
      page.forEach(all::add);
      if (page.size() < 200) return all;
      after = page.get(page.size() - 1).get("seq").asLong();
    }
  }

  static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }
}
