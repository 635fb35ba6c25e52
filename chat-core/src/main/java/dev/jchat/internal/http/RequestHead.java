package dev.jchat.internal.http;

/** A parsed request line and header section, waiting for its body. Immutable once built. */
record RequestHead(
    String method,
    String target,
    String path,
    String rawQuery,
    String version,
    HttpHeaders headers) {

  HttpRequest withBody(byte[] body) {
    return new HttpRequest(method, target, path, rawQuery, version, headers, body);
  }
}
