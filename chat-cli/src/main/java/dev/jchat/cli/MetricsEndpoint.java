package dev.jchat.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * {@code chat server --metrics ADDR:PORT}: the server's meters and the JVM's in Prometheus text
 * format at {@code GET /metrics}, on a listener of its own (the JDK's HTTP server, one thread), so
 * that the numbers are not on the public chat port. Started once, closed once.
 */
final class MetricsEndpoint implements AutoCloseable {
  /** Loopback only, so that counts are not public unless asked for. */
  static final String DEFAULT_ADDRESS = "127.0.0.1:9464";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final HttpServer http;

  private MetricsEndpoint(InetSocketAddress address) throws IOException {
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    http = HttpServer.create(address, 16);
    http.createContext("/metrics", this::scrape);
    http.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "chat-metrics");
              t.setDaemon(true);
              return t;
            }));
  }

  /** Parses {@code HOST:PORT} (IPv6 as {@code [::1]:9464}); IllegalArgumentException if not. */
  static InetSocketAddress parse(String value) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("--metrics wants ADDR:PORT or off");
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--metrics: not a port in " + value);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--metrics: port " + port);
    }
    return new InetSocketAddress(host, port);
  }

  static MetricsEndpoint start(InetSocketAddress address) throws IOException {
    MetricsEndpoint endpoint = new MetricsEndpoint(address);
    endpoint.http.start();
    return endpoint;
  }

  PrometheusMeterRegistry registry() {
    return registry;
  }

  InetSocketAddress address() {
    return http.getAddress();
  }

  private void scrape(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET")) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    http.stop(0);
    gc.close();
    registry.close();
  }
}
