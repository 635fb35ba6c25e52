package dev.jchat.internal.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.jchat.internal.json.Json;
import dev.jchat.internal.service.ApiError;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A REST outcome: status, JSON body (empty for 204) and, for a refusal that waiting cures, the
 * seconds to wait ({@code Retry-After}; 0 for none). Immutable.
 */
public record RestResponse(int status, byte[] body, long retryAfterSeconds) {
  private static final byte[] EMPTY = new byte[0];

  public static RestResponse json(int status, Object value) {
    try {
      return new RestResponse(status, Json.MAPPER.writeValueAsBytes(value), 0);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static RestResponse noContent() {
    return new RestResponse(204, EMPTY, 0);
  }

  /** The contract's error shape: {@code {"error":{"code":...,"message":...}}}. */
  public static RestResponse error(int status, String code, String message) {
    return json(status, Map.of("error", new ErrorBody(code, message)));
  }

  /** The error response for {@code e}, with {@code Retry-After} (whole seconds, rounded up). */
  public static RestResponse error(ApiError e) {
    RestResponse r = error(e.status(), e.code(), e.getMessage());
    long seconds = (e.retryAfterMillis() + 999) / 1000;
    return seconds > 0 ? new RestResponse(r.status(), r.body(), seconds) : r;
  }

  record ErrorBody(String code, String message) {}
}
