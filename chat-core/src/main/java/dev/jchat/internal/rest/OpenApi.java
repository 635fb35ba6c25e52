package dev.jchat.internal.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/openapi.json}: the OpenAPI 3.1 document of the REST API, kept as the resource
 * openapi.json beside this class and read once. Thread-safe (initialised by the class loader).
 */
final class OpenApi {
  private static final byte[] DOCUMENT = load();

  private OpenApi() {}

  static RestResponse response() {
    return new RestResponse(200, DOCUMENT);
  }

  private static byte[] load() {
    try (InputStream in = OpenApi.class.getResourceAsStream("openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read openapi.json", e);
    }
  }
}
