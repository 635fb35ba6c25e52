package dev.jchat.internal.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.jchat.internal.json.Json;
import dev.jchat.internal.json.MessageJson;
import dev.jchat.internal.metrics.ChatMeters;
import dev.jchat.internal.service.Accounts;
import dev.jchat.internal.service.ApiError;
import dev.jchat.internal.service.LimitCounters;
import dev.jchat.internal.service.LogText;
import dev.jchat.internal.service.RateLimiter;
import dev.jchat.internal.service.RoomDirectory;
import dev.jchat.internal.service.RoomInfo;
import dev.jchat.internal.service.Unavailable;
import dev.jchat.internal.service.Validation;
import dev.jchat.internal.store.StorageHealth;
import dev.jchat.internal.store.StoreException;
import dev.jchat.internal.store.StoreUnavailableException;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;

/**
 * The REST API under {@code /api}: routes a complete request to its handler and turns the outcome,
 * or the {@link ApiError}, into a JSON response. Worker threads only (it hashes passwords and runs
 * JDBC). Thread-safe.
 */
public final class RestApi {
  private static final Logger LOG = System.getLogger(RestApi.class.getName());

  private final Accounts accounts;
  private final RoomDirectory rooms;
  private final RateLimiter reads;
  private final LimitCounters limits;
  private final StorageHealth health;
  private final ChatMeters meters;

  public RestApi(
      Accounts accounts,
      RoomDirectory rooms,
      RateLimiter reads,
      LimitCounters limits,
      StorageHealth health,
      ChatMeters meters) {
    this.meters = meters;
    this.accounts = accounts;
    this.rooms = rooms;
    this.reads = reads;
    this.limits = limits;
    this.health = health;
  }

  /** A request as the router sees it: method, decoded path segments after /api, query, body. */
  public record Call(
      String method,
      List<String> path,
      Map<String, String> query,
      String authorization,
      String contentType,
      byte[] body,
      String address) {}

  record RegisterBody(String userId, String password, String name, String email) {}

  record LoginBody(String userId, String password) {}

  record CreateRoomBody(
      String roomId,
      String name,
      @JsonProperty("private") Boolean isPrivate,
      List<String> participants) {}

  record Created(String userId) {}

  record RoomCreated(String roomId) {}

  record Membership(String roomId, String userId) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record RoomList(List<RoomInfo> rooms, String next) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Health(String status, String reason) {}

  public RestResponse handle(Call call) {
    try {
      return route(call);
    } catch (ApiError e) {
      return RestResponse.error(e);
    } catch (StoreUnavailableException e) {
      // logged (sparingly) by the store
      return RestResponse.error(Unavailable.of(e));
    } catch (StoreException e) {
      LOG.log(
          Level.ERROR,
          "storage failed for "
              + call.method()
              + " "
              + LogText.quote("/api/" + String.join("/", call.path())),
          e);
      return RestResponse.error(500, "internal", "the server could not complete the request");
    }
  }

  private RestResponse route(Call c) {
    List<String> p = c.path();
    String m = c.method();
    switch (Routes.match(m, p)) {
      case NO_PATH -> throw ApiError.notFound("no such endpoint");
      case WRONG_METHOD -> {
        return notAllowed();
      }
      case ROUTE -> {}
    }
    int n = p.size();
    if (n == 1 && p.get(0).equals("openapi.json")) {
      return OpenApi.response();
    }
    if (n == 1 && p.get(0).equals("health")) {
      return only(m, "GET") ? health() : notAllowed();
    }
    if (n == 2 && p.get(0).equals("health") && p.get(1).equals("live")) {
      // liveness: the process answers requests; says nothing of storage, which a restart won't fix
      return only(m, "GET") ? RestResponse.json(200, new Health("ok", null)) : notAllowed();
    }
    if (n == 1 && p.get(0).equals("users")) {
      return only(m, "POST") ? register(c) : notAllowed();
    }
    if (n == 1 && p.get(0).equals("sessions")) {
      if (m.equals("POST")) {
        return login(c);
      }
      if (m.equals("DELETE")) {
        accounts.logout(bearer(c));
        return RestResponse.noContent();
      }
      return notAllowed();
    }
    if (n >= 1 && p.get(0).equals("rooms")) {
      return rooms(c, m, p);
    }
    throw ApiError.notFound("no such endpoint");
  }

  private RestResponse rooms(Call c, String m, List<String> p) {
    int n = p.size();
    if (n == 1) {
      if (m.equals("GET")) {
        return roomList(c);
      }
      if (m.equals("POST")) {
        return createRoom(c);
      }
      return notAllowed();
    }
    String roomId = p.get(1);
    if (n == 2) {
      return only(m, "GET")
          ? RestResponse.json(200, rooms.describe(user(c), roomId))
          : notAllowed();
    }
    if (n == 3 && p.get(2).equals("messages")) {
      if (!only(m, "GET")) {
        return notAllowed();
      }
      String userId = reader(c);
      var page = rooms.history(userId, roomId, number(c, "before"), number(c, "after"), limit(c));
      return new RestResponse(200, MessageJson.list(page));
    }
    if (n == 4 && p.get(2).equals("members")) {
      String member = p.get(3);
      if (m.equals("PUT")) {
        rooms.addMember(user(c), roomId, member);
        return RestResponse.json(200, new Membership(roomId, member));
      }
      if (m.equals("DELETE")) {
        rooms.removeMember(user(c), roomId, member);
        return RestResponse.noContent();
      }
      return notAllowed();
    }
    throw ApiError.notFound("no such endpoint");
  }

  private RestResponse roomList(Call c) {
    String userId = reader(c);
    Long limit = number(c, "limit");
    if (limit != null && (limit < 1 || limit > RoomDirectory.MAX_ROOM_PAGE)) {
      throw ApiError.badRequest("limit must be 1 to " + RoomDirectory.MAX_ROOM_PAGE);
    }
    String after = c.query().get("after");
    var page =
        rooms.list(
            userId,
            after == null || after.isEmpty() ? null : after,
            limit == null ? null : limit.intValue());
    return RestResponse.json(200, new RoomList(page.rooms(), page.next()));
  }

  /** The signed-in user of a read, which counts against the user's read limit. */
  private String reader(Call c) {
    String userId = user(c);
    long wait = reads.acquire(userId);
    if (wait > 0) {
      limits.tripped("reads");
      throw ApiError.rateLimited("too many reads; slow down", wait);
    }
    return userId;
  }

  /**
   * Readiness: 503 {@code degraded} with the reason while the store cannot write (see {@link
   * StorageHealth#check()}), else 200 {@code ok}.
   */
  private RestResponse health() {
    StorageHealth.Status s = health.check();
    return s.ok()
        ? RestResponse.json(200, new Health("ok", null))
        : RestResponse.json(503, new Health("degraded", s.reason()));
  }

  private RestResponse register(Call c) {
    RegisterBody b = body(c, RegisterBody.class);
    String id = accounts.register(b.userId(), b.password(), b.name(), b.email(), c.address());
    return RestResponse.json(201, new Created(id));
  }

  private RestResponse login(Call c) {
    LoginBody b = body(c, LoginBody.class);
    Accounts.Session session;
    try {
      session = accounts.login(b.userId(), b.password(), c.address());
    } catch (ApiError e) {
      meters.login(
          switch (e.code()) {
            case "unauthorized" -> "failure";
            case "rate_limited" -> "throttled";
            case "bad_request" -> "invalid";
            default -> "error";
          });
      throw e;
    }
    meters.login("success");
    return RestResponse.json(201, session);
  }

  private RestResponse createRoom(Call c) {
    String userId = user(c);
    CreateRoomBody b = body(c, CreateRoomBody.class);
    String id =
        rooms.create(
            userId, b.roomId(), b.name(), Boolean.TRUE.equals(b.isPrivate()), b.participants());
    return RestResponse.json(201, new RoomCreated(id));
  }

  private String user(Call c) {
    return accounts.authenticate(bearer(c));
  }

  private static String bearer(Call c) {
    String h = c.authorization();
    if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw ApiError.unauthorized("an Authorization: Bearer <token> header is required");
    }
    return h.substring(7).trim();
  }

  private static <T> T body(Call c, Class<T> type) {
    if (!isJson(c.contentType())) {
      // keeps HTML forms and text/plain cross-site requests away from the API
      throw ApiError.unsupportedMediaType(
          "the body must be sent as Content-Type: application/json");
    }
    if (c.body() == null || c.body().length == 0) {
      throw ApiError.badRequest("a JSON body is required");
    }
    try {
      T value = Json.MAPPER.readValue(c.body(), type);
      if (value == null) {
        throw ApiError.badRequest("the body must be a JSON object");
      }
      return value;
    } catch (JsonProcessingException e) {
      // Jackson's own message names internal types and echoes input: say only where it failed
      throw ApiError.badRequest("the body is not valid JSON for this request" + where(e));
    } catch (IOException e) {
      throw ApiError.badRequest("the body could not be read");
    }
  }

  /** " (at field x)" for a known field path, else nothing. */
  private static String where(JsonProcessingException e) {
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      String field = m.getPath().get(m.getPath().size() - 1).getFieldName();
      if (field != null && Validation.isUserId(field)) {
        return " (field '" + field + "')";
      }
    }
    return "";
  }

  /** {@code application/json}, with or without parameters such as {@code charset=utf-8}. */
  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
    return type.equalsIgnoreCase("application/json");
  }

  private static Long number(Call c, String name) {
    String v = c.query().get(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw ApiError.badRequest(name + " must be a whole number");
    }
  }

  private static Integer limit(Call c) {
    Long v = number(c, "limit");
    if (v == null) {
      return null;
    }
    if (v < 1 || v > RoomDirectory.MAX_PAGE) {
      throw ApiError.badRequest("limit must be 1 to " + RoomDirectory.MAX_PAGE);
    }
    return v.intValue();
  }

  private static boolean only(String method, String allowed) {
    return method.equals(allowed);
  }

  private static RestResponse notAllowed() {
    return RestResponse.error(405, "bad_request", "method not allowed here");
  }
}
