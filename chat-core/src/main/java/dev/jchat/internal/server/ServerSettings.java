package dev.jchat.internal.server;

import dev.jchat.ChatListener;
import dev.jchat.internal.store.PostgresUrl;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Everything a server is started with; see {@link dev.jchat.ChatServer.Builder} for meanings.
 * {@code postgres} is null for SQLite ({@code database} or {@code inMemory}); {@code bus} is null
 * for a single node.
 */
public record ServerSettings(
    String host,
    int port,
    Path database,
    boolean inMemory,
    List<String> rooms,
    int ioThreads,
    int workers,
    ChatListener listener,
    int maxHeaderBytes,
    int maxBodyBytes,
    int maxMessageBytes,
    int maxTextLength,
    long outboundLimitBytes,
    Duration helloTimeout,
    Duration pingInterval,
    int maxConnections,
    Duration tokenTtl,
    double rateLimit,
    boolean fsync,
    int passwordIterations,
    Set<String> allowedOrigins,
    int historyCap,
    long historyMemoryBytes,
    String serverName,
    Limits limits,
    boolean web,
    boolean accessLog,
    MeterRegistry meterRegistry,
    PostgresUrl postgres,
    javax.sql.DataSource dataSource,
    java.net.URI bus) {

  /**
   * The abuse limits added with protocol v1.1; see {@link dev.jchat.ChatServer.Builder} for each.
   * Zero turns a count limit off.
   */
  public record Limits(
      int passwordThreads,
      int passwordQueue,
      int signupsPerHour,
      int loginFailures,
      int roomsPerHour,
      double readsPerSecond,
      Duration requestTimeout,
      int maxConnectionsPerAddress,
      int maxSessionsPerUser) {}
}
