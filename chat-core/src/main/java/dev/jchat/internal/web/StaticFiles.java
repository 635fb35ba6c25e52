package dev.jchat.internal.web;

import dev.jchat.internal.http.HttpHeaders;
import dev.jchat.internal.http.HttpRequest;
import dev.jchat.internal.http.HttpResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The browser client: the files under {@code dev/jchat/web/} in the chat-core jar, read once at
 * start and answered from memory (cheap enough for the event loop), with validators ({@code ETag},
 * {@code 304}), gzip when the client accepts it, and headers that keep the page from being framed,
 * sniffed or scripted from elsewhere. Immutable, so thread-safe.
 *
 * <p>{@code /} is {@code index.html}. Only {@code GET} and {@code HEAD} of a file that exists are
 * answered here; everything else (other methods, unknown files, {@code ..}, hidden names) is left
 * to the caller, which answers 404 as for any unknown path. Lookups go to a map of the files read
 * at start, so no path can reach anything else on the disk or the classpath.
 */
public final class StaticFiles {
  /** The classpath folder of the page. */
  public static final String FOLDER = "dev/jchat/web/";

  /**
   * Scripts only from this origin and never inline, no plugins, no framing; the socket and the API
   * are on this origin too ({@code 'self'} covers {@code ws:} to it).
   */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none';"
          + " frame-ancestors 'none'";

  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");

  private final Map<String, Asset> files;

  private StaticFiles(Map<String, Asset> files) {
    this.files = files;
  }

  /** The page as packaged with chat-core. */
  public static StaticFiles load() throws IOException {
    return of(SiteLoader.read(StaticFiles.class.getClassLoader(), FOLDER, "index.html"));
  }

  /** Serves the given files, keyed by path without a leading slash ({@code css/app.css}). */
  static StaticFiles of(Map<String, byte[]> contents) {
    Map<String, Asset> files = new HashMap<>();
    contents.forEach((path, bytes) -> files.put(path, Asset.of(path, bytes)));
    return new StaticFiles(Map.copyOf(files));
  }

  /**
   * The complete response (head and body, for this request's keep-alive) when the request is a
   * {@code GET} or {@code HEAD} of one of the files; null otherwise.
   */
  public byte[] respond(HttpRequest r) {
    boolean head = r.method().equals("HEAD");
    if (!head && !r.method().equals("GET")) {
      return null;
    }
    Asset asset = find(r);
    if (asset == null) {
      return null;
    }
    boolean gzip = asset.gzip() != null && acceptsGzip(r.header("Accept-Encoding"));
    String etag = gzip ? asset.gzipEtag() : asset.etag();
    HttpHeaders h = new HttpHeaders();
    h.add("Content-Type", asset.contentType());
    h.add("ETag", etag);
    h.add("Cache-Control", "no-cache"); // revalidate each time: the ETag makes that a 304
    if (asset.gzip() != null) {
      h.add("Vary", "Accept-Encoding");
    }
    addSecurityHeaders(h);
    if (matches(r.header("If-None-Match"), asset)) {
      return HttpResponse.encode(304, h, new byte[0], r.keepAlive());
    }
    if (gzip) {
      h.add("Content-Encoding", "gzip");
    }
    byte[] body = gzip ? asset.gzip() : asset.identity();
    byte[] response = HttpResponse.encode(200, h, body, r.keepAlive());
    // HEAD: the same head (Content-Length of the body it would get), without the body
    return head ? Arrays.copyOf(response, response.length - body.length) : response;
  }

  private Asset find(HttpRequest r) {
    List<String> segments = r.pathSegments();
    if (segments.isEmpty()) {
      return files.get("index.html");
    }
    for (String s : segments) {
      if (!SEGMENT.matcher(s).matches()) {
        return null;
      }
    }
    return files.get(String.join("/", segments));
  }

  private static void addSecurityHeaders(HttpHeaders h) {
    h.add("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    h.add("X-Content-Type-Options", "nosniff");
    h.add("Referrer-Policy", "no-referrer");
    h.add("X-Frame-Options", "DENY");
    h.add("Cross-Origin-Opener-Policy", "same-origin");
    h.add("Cross-Origin-Resource-Policy", "same-origin");
  }

  /** {@code gzip} listed with a nonzero quality, or else {@code *} with one. */
  static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    Boolean any = null;
    for (String element : acceptEncoding.split(",")) {
      String[] parts = element.split(";");
      String coding = parts[0].trim().toLowerCase(Locale.ROOT);
      boolean accepted = parts.length < 2 || !isZeroQuality(parts[1]);
      if (coding.equals("gzip") || coding.equals("x-gzip")) {
        return accepted;
      }
      if (coding.equals("*")) {
        any = accepted;
      }
    }
    return any != null && any;
  }

  private static boolean isZeroQuality(String parameter) {
    String p = parameter.trim().toLowerCase(Locale.ROOT).replace(" ", "");
    return p.matches("q=0(\\.0{0,3})?");
  }

  /** Weak comparison (RFC 9110 section 13.1.2): either representation's tag, or {@code *}. */
  private static boolean matches(String ifNoneMatch, Asset asset) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String tag : ifNoneMatch.split(",")) {
      String t = tag.trim();
      if (t.equals("*")) {
        return true;
      }
      if (t.startsWith("W/")) {
        t = t.substring(2);
      }
      if (t.equals(asset.etag()) || t.equals(asset.gzipEtag())) {
        return true;
      }
    }
    return false;
  }
}
