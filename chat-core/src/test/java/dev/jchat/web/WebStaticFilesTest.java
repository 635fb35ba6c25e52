package dev.jchat.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jchat.ChatServer;
import dev.jchat.testing.ChatServerExtension;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The browser client's files as served over real HTTP (the JDK's HttpClient, and a raw socket where
 * HttpClient would tidy the request): media types, validators, compression, security headers, and
 * nothing outside the page reachable.
 */
final class WebStaticFilesTest {
  @TempDir static Path dir;
  static ChatServer server;
  static ChatServer withoutWeb;
  static final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  @BeforeAll
  static void start() {
    server =
        ChatServerExtension.start(
            dir.resolve("chat.db"), b -> b.allowedOrigins(Set.of("https://chat.example.com")));
    withoutWeb = ChatServerExtension.start(dir.resolve("other.db"), b -> b.web(false));
  }

  @AfterAll
  static void stop() {
    server.close();
    withoutWeb.close();
  }

  static HttpResponse<byte[]> get(ChatServer s, String path, String... headers) {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path));
    if (headers.length > 0) {
      r.headers(headers);
    }
    try {
      return http.send(
          r.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  @Test
  void slashIsThePageWithItsSecurityHeaders() {
    HttpResponse<byte[]> r = get(server, "/");
    assertEquals(200, r.statusCode());
    assertEquals("text/html; charset=utf-8", header(r, "Content-Type"));
    String html = new String(r.body(), StandardCharsets.UTF_8);
    assertTrue(html.contains("<script type=\"module\" src=\"js/main.js\"></script>"), html);
    assertFalse(html.contains("<script>"), "no inline script");
    String csp = header(r, "Content-Security-Policy");
    assertTrue(csp.contains("script-src 'self'"), csp);
    assertTrue(csp.contains("frame-ancestors 'none'"), csp);
    assertFalse(csp.contains("unsafe-inline") || csp.contains("unsafe-eval"), csp);
    assertTrue(csp.contains("default-src 'none'"), csp);
    assertEquals("nosniff", header(r, "X-Content-Type-Options"));
    assertEquals("no-referrer", header(r, "Referrer-Policy"));
    assertEquals("DENY", header(r, "X-Frame-Options"));
    assertEquals("no-cache", header(r, "Cache-Control"));
    assertArrayEquals(r.body(), get(server, "/index.html").body());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/app.css text/css; charset=utf-8",
        "/js/main.js text/javascript; charset=utf-8",
        "/js/chat.js text/javascript; charset=utf-8",
        "/favicon.svg image/svg+xml",
      })
  void eachFileHasItsMediaType(String pathAndType) {
    int space = pathAndType.indexOf(' ');
    HttpResponse<byte[]> r = get(server, pathAndType.substring(0, space));
    assertEquals(200, r.statusCode());
    assertEquals(pathAndType.substring(space + 1), header(r, "Content-Type"));
    assertTrue(r.body().length > 0);
  }

  @Test
  void anUnchangedFileIsA304ForItsEtag() {
    HttpResponse<byte[]> first = get(server, "/js/main.js");
    String etag = header(first, "ETag");
    assertTrue(etag.matches("\"[A-Za-z0-9_-]+\""), etag);
    HttpResponse<byte[]> again = get(server, "/js/main.js", "If-None-Match", etag);
    assertEquals(304, again.statusCode());
    assertEquals(0, again.body().length);
    assertEquals(etag, header(again, "ETag"));
    assertEquals(304, get(server, "/js/main.js", "If-None-Match", "\"x\", W/" + etag).statusCode());
    assertEquals(200, get(server, "/js/main.js", "If-None-Match", "\"stale\"").statusCode());
    assertNotEquals(etag, header(get(server, "/app.css"), "ETag"), "each file has its own tag");
  }

  @Test
  void gzipOnlyWhenAsked() throws IOException {
    HttpResponse<byte[]> plain = get(server, "/js/chat.js");
    assertEquals(null, header(plain, "Content-Encoding"));
    assertEquals("Accept-Encoding", header(plain, "Vary"));

    HttpResponse<byte[]> zipped = get(server, "/js/chat.js", "Accept-Encoding", "br, gzip");
    assertEquals("gzip", header(zipped, "Content-Encoding"));
    assertEquals("Accept-Encoding", header(zipped, "Vary"));
    assertTrue(zipped.body().length < plain.body().length);
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
      assertArrayEquals(plain.body(), in.readAllBytes());
    }
    String zippedTag = header(zipped, "ETag");
    assertNotEquals(header(plain, "ETag"), zippedTag, "another representation, another tag");
    assertEquals(
        304,
        get(server, "/js/chat.js", "Accept-Encoding", "gzip", "If-None-Match", zippedTag)
            .statusCode());

    assertEquals(
        null,
        header(get(server, "/js/chat.js", "Accept-Encoding", "gzip;q=0"), "Content-Encoding"));
    assertEquals(
        null,
        header(get(server, "/js/chat.js", "Accept-Encoding", "identity"), "Content-Encoding"));
  }

  @Test
  void headHasTheHeadOfGetAndNoBody() throws IOException {
    String get = raw(server, "GET /app.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    String head = raw(server, "HEAD /app.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertTrue(get.startsWith("HTTP/1.1 200 "), get);
    assertEquals(get.substring(0, get.indexOf("\r\n\r\n") + 4), head);
  }

  @Test
  void pagesAndApiShareOneKeptAliveConnection() throws IOException {
    String both =
        raw(
            server,
            "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /app.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    int first = both.indexOf("HTTP/1.1 200");
    int second = both.indexOf("HTTP/1.1 200", first + 1);
    int third = both.indexOf("HTTP/1.1 200", second + 1);
    assertTrue(first == 0 && second > 0 && third > second, both);
    assertTrue(both.indexOf("{\"status\":\"ok\"}") > second, "answers in order: " + both);
    assertTrue(both.indexOf("text/css") > third, both);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/js/..%2f..%2fpom.xml",
        "/js/../index.html",
        "/./index.html",
        "//etc/passwd",
        "/.hidden",
        "/js/%2e%2e/app.css",
        "/dev/jchat/ChatServer.class",
        "/dev/jchat/web/index.html",
        "/META-INF/MANIFEST.MF",
        "/index.html%00.js",
        "/js\\main.js",
        "/nothing-here.html",
      })
  void nothingOutsideThePageIsServed(String target) throws IOException {
    String response =
        raw(server, "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertTrue(
        response.startsWith("HTTP/1.1 404 ") || response.startsWith("HTTP/1.1 400 "), response);
    assertFalse(response.contains("root:") || response.contains("<html"), response);
  }

  @Test
  void otherMethodsOnThePageAre404AsBefore() {
    HttpResponse<byte[]> r =
        send(
            HttpRequest.newBuilder(uri(server, "/"))
                .POST(HttpRequest.BodyPublishers.ofString("x")));
    assertEquals(404, r.statusCode());
    assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("\"not_found\""));
  }

  @Test
  void turnedOffThereIsNoPageButTheApiStays() {
    assertEquals(404, get(withoutWeb, "/").statusCode());
    assertEquals(404, get(withoutWeb, "/js/main.js").statusCode());
    assertEquals(200, get(withoutWeb, "/api/health").statusCode());
  }

  @Test
  void theServersOwnOriginOpensTheSocketDespiteAnAllowList() throws IOException {
    String host = "127.0.0.1:" + server.port();
    assertEquals(101, upgradeStatus(host, "http://" + host));
    assertEquals(101, upgradeStatus("chat.local:8080", "http://chat.local:8080"));
    assertEquals(101, upgradeStatus("chat.example.com", "https://chat.example.com"));
    assertEquals(101, upgradeStatus(host, null), "no Origin: not a browser");
    assertEquals(403, upgradeStatus(host, "http://evil.example"));
    assertEquals(403, upgradeStatus(host, "http://127.0.0.1:" + (server.port() + 1)));
    assertEquals(403, upgradeStatus("chat.local", "http://chat.local.evil.example"));
  }

  /** The status of a WebSocket upgrade with this Host and Origin (null: none). */
  private static int upgradeStatus(String host, String origin) throws IOException {
    String response =
        raw(
            server,
            "GET /ws HTTP/1.1\r\nHost: "
                + host
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + (origin == null ? "" : "Origin: " + origin + "\r\n")
                + "\r\n",
            true);
    return Integer.parseInt(response.substring(9, 12));
  }

  private static URI uri(ChatServer s, String path) {
    return URI.create("http://127.0.0.1:" + s.port() + path);
  }

  private static HttpResponse<byte[]> send(HttpRequest.Builder r) {
    try {
      return http.send(
          r.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** One exchange on a raw socket, read to the server's close. */
  private static String raw(ChatServer s, String request) throws IOException {
    return raw(s, request, false);
  }

  /** With {@code statusOnly}, reads just the status line (an upgraded socket stays open). */
  private static String raw(ChatServer s, String request, boolean statusOnly) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", s.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] bytes = statusOnly ? in.readNBytes(12) : in.readAllBytes();
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
  }
}
