package dev.jchat.internal.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jchat.testing.ChatServerExtension;
import dev.jchat.testing.OpenApiContract;
import dev.jchat.testing.Rest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The OpenAPI document describes exactly the routes the server serves: no route without a
 * description, no description without a route, and each operation says what it does and answers.
 */
class OpenApiDocumentTest {
  @RegisterExtension static final ChatServerExtension server = ChatServerExtension.create();

  private static final JsonNode DOC = OpenApiContract.DOCUMENT;

  @Test
  void everyRouteIsDescribedAndEveryDescriptionIsARoute() {
    TreeSet<String> described = new TreeSet<>();
    for (Map.Entry<String, JsonNode> path : fields(DOC.path("paths"))) {
      assertTrue(path.getKey().startsWith("/api/"), path.getKey());
      for (Map.Entry<String, JsonNode> op : fields(path.getValue())) {
        if (op.getKey().equals("parameters")) {
          continue;
        }
        described.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey().substring(4));
      }
    }
    assertEquals(new TreeSet<>(Routes.ALL), described);
  }

  @Test
  void everyOperationHasASummaryADescriptionAndTheErrorShape() {
    for (Map.Entry<String, JsonNode> path : fields(DOC.path("paths"))) {
      for (Map.Entry<String, JsonNode> op : fields(path.getValue())) {
        if (op.getKey().equals("parameters")) {
          continue;
        }
        String name = op.getKey() + " " + path.getKey();
        JsonNode o = op.getValue();
        assertFalse(o.path("summary").asText().isBlank(), name + ": no summary");
        assertFalse(o.path("description").asText().isBlank(), name + ": no description");
        assertTrue(o.path("operationId").isTextual(), name + ": no operationId");
        assertEquals(
            "#/components/responses/Error",
            o.path("responses").path("default").path("$ref").asText(),
            name + ": no default error response");
        boolean success = false;
        for (Iterator<String> it = o.path("responses").fieldNames(); it.hasNext(); ) {
          success |= it.next().startsWith("2");
        }
        assertTrue(success, name + ": no 2xx response");
        for (JsonNode p : o.path("parameters")) {
          assertFalse(p.path("description").asText().isBlank(), name + ": " + p);
        }
      }
    }
    assertEquals("3.1.0", DOC.path("openapi").asText());
  }

  /**
   * Each listed route is really served: without credentials it answers anything but the router's
   * "no such endpoint" 404 or a 405, and the answer is one the document describes.
   */
  @Test
  void everyDescribedRouteIsServed() {
    List<String> unserved = new ArrayList<>();
    for (String route : Routes.ALL) {
      String method = route.substring(0, route.indexOf(' '));
      String path = "/api" + route.substring(route.indexOf(' ') + 1).replaceAll("\\{[^}]+}", "x");
      Rest.Response r = server.rest().send(method, path, null, null);
      boolean noRoute =
          r.status() == 405
              || (r.status() == 404
                  && r.json().path("error").path("message").asText().equals("no such endpoint"));
      if (noRoute) {
        unserved.add(route + " -> " + r.status());
      }
    }
    assertTrue(unserved.isEmpty(), unserved.toString());
  }

  @Test
  void theDocumentIsServedWithoutAuthentication() {
    Rest.Response r = server.rest().get("/api/openapi.json", null).assertStatus(200);
    assertEquals(DOC, r.json());
  }

  @Test
  void anUndescribedPathIs404AndAWrongMethod405() {
    server.rest().get("/api/admin", null).assertError(404, "not_found");
    server.rest().send("PATCH", "/api/rooms", null, null).assertError(405, "bad_request");
    server.rest().send("POST", "/api/openapi.json", null, "{}").assertError(405, "bad_request");
  }

  private static List<Map.Entry<String, JsonNode>> fields(JsonNode node) {
    List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
    out.addAll(node.properties());
    return out;
  }
}
