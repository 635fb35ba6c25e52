package dev.jchat.internal.http;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One parsed request. The parser has already checked that {@link #path} and {@link #rawQuery}
 * percent-decode cleanly, so {@link #pathSegments} and {@link #query} do not fail for a parsed
 * request; for one built by hand they throw {@link IllegalArgumentException}.
 *
 * <p>The body array is not copied; nobody writes to it after the parser returns.
 *
 * @param method the method token, case preserved ({@code GET}, {@code POST}, ...)
 * @param target the request target exactly as sent
 * @param path the path of the target, still percent-encoded; {@code *} for {@code OPTIONS *}. For
 *     an absolute-form target ({@code http://host/p}) the path of the URI.
 * @param rawQuery what follows the first {@code ?}, still encoded; empty when there is none
 * @param version {@code HTTP/1.1} or {@code HTTP/1.0}
 * @param headers the header fields in arrival order
 * @param body the decoded body (chunked framing removed); empty when there is none
 */
public record HttpRequest(
    String method,
    String target,
    String path,
    String rawQuery,
    String version,
    HttpHeaders headers,
    byte[] body) {

  /**
   * Whether the connection stays open after the response (RFC 9112 section 9.3): for HTTP/1.1
   * unless {@code Connection: close}; for HTTP/1.0 only with {@code Connection: keep-alive}.
   */
  public boolean keepAlive() {
    if (headers.containsToken("Connection", "close")) {
      return false;
    }
    return "HTTP/1.1".equals(version) || headers.containsToken("Connection", "keep-alive");
  }

  /** The first value of the named header, or {@code null}. */
  public String header(String name) {
    return headers.get(name);
  }

  /**
   * The query parameters, decoded as UTF-8 with {@code +} read as a space, in order. The first
   * value of a repeated name wins; a name without {@code =} maps to the empty string.
   */
  public Map<String, String> query() {
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      parameters.putIfAbsent(PercentDecoder.decode(name, true), PercentDecoder.decode(value, true));
    }
    return Collections.unmodifiableMap(parameters);
  }

  /**
   * The path split on {@code /}, each segment percent-decoded as UTF-8: {@code /api/rooms/Room%201}
   * gives {@code [api, rooms, Room 1]}. An encoded slash ({@code %2F}) stays inside its segment.
   * Empty segments are kept ({@code /a/} gives {@code [a, ""]}) so a router can tell the two apart;
   * {@code /} gives an empty list.
   */
  public List<String> pathSegments() {
    String relative = path.startsWith("/") ? path.substring(1) : path;
    if (relative.isEmpty()) {
      return List.of();
    }
    return Arrays.stream(relative.split("/", -1))
        .map(segment -> PercentDecoder.decode(segment, false))
        .toList();
  }
}
