package dev.jchat.internal.service;

/**
 * A failure the client caused or must hear about, with the contract's error code and HTTP status.
 * REST turns it into an error response, the socket into an {@code error} frame.
 */
public final class ApiError extends RuntimeException {
  private final String code;
  private final int status;
  private final long retryAfterMillis;

  public ApiError(String code, int status, String message) {
    this(code, status, message, 0);
  }

  private ApiError(String code, int status, String message, long retryAfterMillis) {
    super(message, null, false, false);
    this.code = code;
    this.status = status;
    this.retryAfterMillis = retryAfterMillis;
  }

  public String code() {
    return code;
  }

  public int status() {
    return status;
  }

  /** How long the client should wait before trying again; 0 when waiting would not help. */
  public long retryAfterMillis() {
    return retryAfterMillis;
  }

  public static ApiError badRequest(String message) {
    return new ApiError("bad_request", 400, message);
  }

  public static ApiError unauthorized(String message) {
    return new ApiError("unauthorized", 401, message);
  }

  public static ApiError forbidden(String message) {
    return new ApiError("forbidden", 403, message);
  }

  public static ApiError notFound(String message) {
    return new ApiError("not_found", 404, message);
  }

  public static ApiError conflict(String message) {
    return new ApiError("conflict", 409, message);
  }

  public static ApiError tooLarge(String message) {
    return new ApiError("too_large", 413, message);
  }

  public static ApiError rateLimited(String message) {
    return new ApiError("rate_limited", 429, message);
  }

  /** The server is fine but cannot store right now; the same request may succeed later. */
  public static ApiError unavailable(String message, long retryAfterMillis) {
    return new ApiError("unavailable", 503, message, retryAfterMillis);
  }

  public static ApiError internal(String message) {
    return new ApiError("internal", 500, message);
  }
}
