package dev.jchat.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Holds real REST responses to the OpenAPI document the server publishes (chat-core's
 * openapi.json): each status must be one the operation documents, and each body must validate
 * against the documented JSON Schema, with networknt's json-schema-validator (draft 2020-12, the
 * dialect of OpenAPI 3.1). {@link Rest} calls it for every response, so every REST integration test
 * checks the document as a side effect. Thread-safe.
 */
public final class OpenApiContract {
  public static final String RESOURCE = "/dev/jchat/internal/rest/openapi.json";
  public static final JsonNode DOCUMENT = load();

  /** Statuses the HTTP layer may answer to any request (malformed, slow, large; capacity). */
  private static final Set<Integer> ANY_REQUEST = Set.of(408, 413, 431, 500, 503);

  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();

  private OpenApiContract() {}

  /** Fails unless the response to {@code method rawPath} is one the document describes. */
  public static void assertConforms(String method, String rawPath, int status, String body) {
    if (!rawPath.startsWith("/api/")) {
      return;
    }
    String template = template(rawPath);
    JsonNode op =
        template == null
            ? null
            : DOCUMENT.path("paths").path(template).get(method.toLowerCase(Locale.ROOT));
    String where = method + " " + (template == null ? rawPath : template) + " -> " + status;
    if (op == null) {
      // no such route: the router's 404 or 405, in the error shape
      assertTrue(status == 404 || status == 405 || ANY_REQUEST.contains(status), where);
      validate("#/components/schemas/Error", body, where);
      return;
    }
    JsonNode response = op.path("responses").get(String.valueOf(status));
    if (response == null) {
      if (!ANY_REQUEST.contains(status) && status != 400) {
        fail(where + " is not documented; its body was: " + TestJson.abbreviate(body));
      }
      response = op.path("responses").path("default");
    }
    response = resolve(response);
    JsonNode schema = response.path("content").path("application/json").get("schema");
    if (schema == null) {
      assertTrue(body.isEmpty(), where + " documents no body but has: " + body);
      return;
    }
    String ref = schema.has("$ref") ? schema.get("$ref").asText() : null;
    validate(ref != null ? ref : template + " " + method + " " + status, schema, body, where);
  }

  private static void validate(String ref, String body, String where) {
    validate(ref, TestJson.MAPPER.createObjectNode().put("$ref", ref), body, where);
  }

  private static void validate(String key, JsonNode schema, String body, String where) {
    Schema compiled =
        SCHEMAS.computeIfAbsent(
            key,
            k -> {
              // the document's components travel with the schema, so that its $refs resolve
              ObjectNode root = TestJson.MAPPER.createObjectNode();
              root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
              root.putArray("allOf").add(schema);
              root.set("components", DOCUMENT.get("components"));
              return REGISTRY.getSchema(root.toString(), InputFormat.JSON);
            });
    if (body.isEmpty()) {
      fail(where + " has an empty body; the document promises JSON");
    }
    List<Error> errors = compiled.validate(body, InputFormat.JSON);
    assertTrue(
        errors.isEmpty(),
        () -> where + " does not match " + key + ": " + errors + "\nbody: " + body);
  }

  /** The path template of the document that {@code rawPath} matches, or null. */
  public static String template(String rawPath) {
    String[] path = rawPath.split("/", -1);
    for (Iterator<String> it = DOCUMENT.path("paths").fieldNames(); it.hasNext(); ) {
      String template = it.next();
      String[] parts = template.split("/", -1);
      if (parts.length != path.length) {
        continue;
      }
      boolean matches = true;
      for (int i = 0; i < parts.length && matches; i++) {
        matches = parts[i].startsWith("{") ? !path[i].isEmpty() : parts[i].equals(path[i]);
      }
      if (matches) {
        return template;
      }
    }
    return null;
  }

  private static JsonNode resolve(JsonNode node) {
    if (!node.has("$ref")) {
      return node;
    }
    return DOCUMENT.at(node.get("$ref").asText().substring(1));
  }

  private static JsonNode load() {
    try (InputStream in = OpenApiContract.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the class path");
      }
      return TestJson.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
