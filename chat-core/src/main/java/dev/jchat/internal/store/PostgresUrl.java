package dev.jchat.internal.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * Where a PostgreSQL store lives: a JDBC URL without credentials, the user, and the password
 * (nullable). Parsed from a libpq-style URI ({@code postgresql://user[:password]@host[:port]/db})
 * or a {@code jdbc:postgresql://...} URL. {@link #toString()} and {@link #describe()} never show
 * the password. Immutable.
 */
public final class PostgresUrl {
  private static final int DEFAULT_PORT = 5432;

  private final String jdbcUrl;
  private final String user;
  private final String password;

  private PostgresUrl(String jdbcUrl, String user, String password) {
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
  }

  /** Whether {@code url} names a PostgreSQL database rather than an SQLite file. */
  public static boolean isPostgres(String url) {
    return url.startsWith("postgresql://")
        || url.startsWith("postgres://")
        || url.startsWith("jdbc:postgresql:");
  }

  /**
   * Parses {@code url}. The password is the URL's own, else {@code fallbackPassword} (from a
   * password file), else the {@code PGPASSWORD} of {@code env}; it may stay null (trust or peer
   * authentication).
   *
   * @throws IllegalArgumentException naming what is wrong, never echoing the password
   */
  public static PostgresUrl parse(String url, String fallbackPassword, Map<String, String> env) {
    Objects.requireNonNull(url);
    if (!isPostgres(url)) {
      throw new IllegalArgumentException(
          "not a PostgreSQL URL (postgresql://user@host:port/db or jdbc:postgresql://...)");
    }
    String bare = url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url;
    URI uri;
    try {
      uri = new URI(bare);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("malformed PostgreSQL URL: " + e.getReason());
    }
    String host = uri.getHost();
    if (host == null) {
      throw new IllegalArgumentException("the PostgreSQL URL names no host");
    }
    String path = uri.getRawPath();
    if (path == null || path.length() <= 1) {
      throw new IllegalArgumentException("the PostgreSQL URL names no database");
    }
    String user = null;
    String password = null;
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      if (colon >= 0) {
        password = decode(userInfo.substring(colon + 1));
      }
    }
    int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    String jdbcUrl =
        "jdbc:postgresql://" + bracketed(host) + ":" + port + path + withoutSecrets(query);
    String queryPassword = parameter(query, "password");
    if (password == null) {
      password = queryPassword;
    }
    if (user == null) {
      user = parameter(query, "user");
    }
    if (password == null) {
      password = fallbackPassword;
    }
    if (password == null) {
      password = env.get("PGPASSWORD");
    }
    return new PostgresUrl(jdbcUrl, user, password);
  }

  private static String bracketed(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** The query without {@code user} and {@code password}, which travel separately. */
  private static String withoutSecrets(String query) {
    if (query.isEmpty()) {
      return "";
    }
    StringBuilder kept = new StringBuilder();
    for (String pair : query.substring(1).split("&")) {
      String key = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
      if (key.equals("user") || key.equals("password") || pair.isEmpty()) {
        continue;
      }
      kept.append(kept.length() == 0 ? "?" : "&").append(pair);
    }
    return kept.toString();
  }

  private static String parameter(String query, String name) {
    if (query.isEmpty()) {
      return null;
    }
    for (String pair : query.substring(1).split("&")) {
      if (pair.startsWith(name + "=")) {
        return decode(pair.substring(name.length() + 1));
      }
    }
    return null;
  }

  /** The JDBC URL, with neither user nor password in it. */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  /** The user; null lets the driver choose (the operating-system user). */
  public String user() {
    return user;
  }

  /** Nullable; never log it. */
  String password() {
    return password;
  }

  /** For logs and errors: {@code postgresql://user@host:port/db}, without the password. */
  public String describe() {
    String rest = jdbcUrl.substring("jdbc:postgresql://".length());
    return "postgresql://" + (user == null ? "" : user + "@") + rest;
  }

  @Override
  public String toString() {
    return describe();
  }
}
