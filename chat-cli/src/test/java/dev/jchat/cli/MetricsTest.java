package dev.jchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jchat.ChatClient;
import dev.jchat.ChatException;
import dev.jchat.ChatSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chat server --metrics}: a real server in a child JVM serves Prometheus text on its own
 * listener, which parses strictly, and its counters move as a client logs in, joins and sends.
 */
class MetricsTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  @Test
  void countersMoveWhenMessagesFlow() throws Exception {
    try (ChildChatServer server = ChildChatServer.start(dir, "--metrics", "127.0.0.1:0")) {
      assertTrue(server.metricsPort() > 0, "no metrics line");
      PrometheusText before = scrape(server);
      assertEquals("counter", before.type("chat_messages_committed_total"));
      assertEquals(0.0, before.value("chat_requests_limited_total", "kind", "messages"));
      assertEquals("histogram", before.type("chat_commit_duration_seconds"));
      assertEquals(0.0, before.value("chat_messages_committed_total"));
      assertEquals(0.0, before.value("chat_sockets_open"));
      assertNotNull(
          before.value("jvm_memory_used_bytes", "area", "heap", "id", anyHeapPool(before)));
      assertNotNull(before.value("process_uptime_seconds"));

      ChatClient client = ChatClient.builder().host("127.0.0.1").port(server.port()).build();
      client.register("alice", "correct horse battery", null, null);
      assertThrows(ChatException.class, () -> client.login("alice", "wrong password!"));
      client.login("alice", "correct horse battery");
      try (ChatSocket socket = client.connect(new ChatSocket.Listener() {})) {
        socket.join("general").get(10, TimeUnit.SECONDS);
        for (int i = 0; i < 5; i++) {
          socket.send("general", "hello " + i).get(10, TimeUnit.SECONDS);
        }

        PrometheusText after = scrape(server);
        assertEquals(5.0, after.value("chat_messages_committed_total"));
        assertEquals(1.0, after.value("chat_sockets_open"));
        assertEquals(1.0, after.value("chat_logins_total", "outcome", "success"));
        assertEquals(1.0, after.value("chat_logins_total", "outcome", "failure"));
        assertEquals(0.0, after.value("chat_logins_total", "outcome", "throttled"));
        assertEquals(1.0, after.value("chat_joins_total", "complete", "true"));
        assertEquals(5.0, after.value("chat_commit_batch_size_messages_sum"));
        double commits = after.value("chat_commit_duration_seconds_count");
        assertTrue(commits >= 1 && commits <= 5, "commits: " + commits);
        assertTrue(after.value("chat_connections_open") >= 1);
        assertEquals(5.0, after.value("chat_send_ack_duration_seconds_count"));
        assertTrue(after.value("chat_outbound_backlog") >= 0);
        assertEquals(0.0, after.value("chat_requests_limited_total", "kind", "connections"));
        // deliveries are counted as the fan-out queues them, which may trail the acks a little
        PrometheusText delivered =
            awaitScrape(server, p -> p.value("chat_deliveries_total") == 5.0);
        assertEquals(5.0, delivered.value("chat_deliveries_total"));
      }
    }
  }

  @Test
  void metricsAreNotOnTheChatPortAndOffMeansOff() throws Exception {
    try (ChildChatServer server = ChildChatServer.start(dir, "--metrics", "off")) {
      assertEquals(-1, server.metricsPort());
      HttpResponse<String> r = get("http://127.0.0.1:" + server.port() + "/metrics");
      assertEquals(404, r.statusCode());
    }
  }

  @Test
  void theDefaultListenerIsLoopbackOnly() {
    InetSocketAddress address = MetricsEndpoint.parse(MetricsEndpoint.DEFAULT_ADDRESS);
    assertTrue(address.getAddress().isLoopbackAddress(), address.toString());
    assertEquals(new InetSocketAddress("::1", 9100), MetricsEndpoint.parse("[::1]:9100"));
    assertThrows(IllegalArgumentException.class, () -> MetricsEndpoint.parse("9100"));
  }

  @Test
  void theParserRejectsWhatPrometheusWould() {
    assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("a{b=\"c} 1\n"));
    assertThrows(
        IllegalArgumentException.class,
        () -> PrometheusText.parse("# TYPE x counter\nx 1\n")); // no _total
    assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("x 1\nx 2\n"));
    assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("x one\n"));
    assertEquals(
        2.5,
        PrometheusText.parse("x{a=\"\\\"q\\\"\"} 2.5 1700000000000\n").value("x", "a", "\"q\""));
  }

  private static String anyHeapPool(PrometheusText p) {
    return p.family("jvm_memory_used_bytes").stream()
        .filter(s -> "heap".equals(s.labels().get("area")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no heap pool in jvm_memory_used_bytes"))
        .labels()
        .get("id");
  }

  private static PrometheusText scrape(ChildChatServer server) throws Exception {
    HttpResponse<String> r = get("http://127.0.0.1:" + server.metricsPort() + "/metrics");
    assertEquals(200, r.statusCode());
    assertTrue(
        r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
        r.headers().toString());
    assertFalse(r.body().isEmpty());
    return PrometheusText.parse(r.body());
  }

  /** Scrapes until {@code done} holds, for up to 10 s. */
  private static PrometheusText awaitScrape(ChildChatServer server, Predicate<PrometheusText> done)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    PrometheusText last = scrape(server);
    while (!done.test(last) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      last = scrape(server);
    }
    return last;
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
