package dev.jchat.internal.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.jchat.internal.json.Json;
import dev.jchat.internal.service.ApiError;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** A REST outcome: status, JSON body (empty for 204) and extra headers. Immutable. */
public record RestResponse(int status, byte[] body, Map<String, String> headers) {
  private static final byte[] EMPTY = new byte[0];

  public RestResponse(int status, byte[] body) {
    this(status, body, Map.of());
  }

  public RestResponse {
    headers = Map.copyOf(headers);
  }

  public static RestResponse json(int status, Object value) {
    try {
      return new RestResponse(status, Json.MAPPER.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static RestResponse noContent() {
    return new RestResponse(204, EMPTY);
  }

  /** The contract's error shape: {@code {"error":{"code":...,"message":...}}}. */
  public static RestResponse error(int status, String code, String message) {
    return json(status, Map.of("error", new ErrorBody(code, message)));
  }

  /**
   * The error response for {@code e}, with {@code Retry-After} (whole seconds, rounded up) when
   * waiting helps.
   */
  public static RestResponse error(ApiError e) {
    RestResponse r = error(e.status(), e.code(), e.getMessage());
    long seconds = (e.retryAfterMillis() + 999) / 1000;
    return seconds > 0 ? r.withHeader("Retry-After", Long.toString(seconds)) : r;
  }

  /** The same response with one more header. */
  public RestResponse withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new RestResponse(status, body, more);
  }

  record ErrorBody(String code, String message) {}
}
