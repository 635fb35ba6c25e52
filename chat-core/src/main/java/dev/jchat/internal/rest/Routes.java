package dev.jchat.internal.rest;

import java.util.List;

/**
 * Every REST route under {@code /api}, as {@code METHOD /template} with {@code {name}} for a path
 * segment. {@link RestApi} serves nothing that is not listed here, and the OpenAPI document
 * (openapi.json beside this class) describes exactly these routes, which a test checks. Immutable.
 */
final class Routes {
  static final List<String> ALL =
      List.of(
          "GET /health",
          "GET /health/live",
          "GET /openapi.json",
          "POST /users",
          "POST /sessions",
          "DELETE /sessions",
          "GET /rooms",
          "POST /rooms",
          "GET /rooms/{roomId}",
          "GET /rooms/{roomId}/messages",
          "PUT /rooms/{roomId}/members/{userId}",
          "DELETE /rooms/{roomId}/members/{userId}");

  /** How a request matches the routes. */
  enum Match {
    ROUTE,
    WRONG_METHOD,
    NO_PATH
  }

  private Routes() {}

  static Match match(String method, List<String> path) {
    Match best = Match.NO_PATH;
    for (String route : ALL) {
      int space = route.indexOf(' ');
      if (!pathMatches(route.substring(space + 2), path)) {
        continue;
      }
      if (route.substring(0, space).equals(method)) {
        return Match.ROUTE;
      }
      best = Match.WRONG_METHOD;
    }
    return best;
  }

  private static boolean pathMatches(String template, List<String> path) {
    String[] parts = template.split("/");
    if (parts.length != path.size()) {
      return false;
    }
    for (int i = 0; i < parts.length; i++) {
      boolean variable = parts[i].startsWith("{");
      if (variable ? path.get(i).isEmpty() : !parts[i].equals(path.get(i))) {
        return false;
      }
    }
    return true;
  }
}
