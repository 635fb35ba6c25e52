package dev.jchat.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresUrlTest {
  @Test
  void aLibpqUriBecomesAJdbcUrlWithTheCredentialsApart() {
    PostgresUrl url =
        PostgresUrl.parse("postgresql://chat:s%40cret@db.example.com/chat", null, Map.of());
    assertEquals("jdbc:postgresql://db.example.com:5432/chat", url.jdbcUrl());
    assertEquals("chat", url.user());
    assertEquals("s@cret", url.password());
    assertEquals("postgresql://chat@db.example.com:5432/chat", url.describe());
    assertFalse(url.toString().contains("s@cret"));
  }

  @Test
  void aJdbcUrlKeepsItsParametersButNotItsSecrets() {
    PostgresUrl url =
        PostgresUrl.parse(
            "jdbc:postgresql://h:6000/db?sslmode=require&user=u&password=p", null, Map.of());
    assertEquals("jdbc:postgresql://h:6000/db?sslmode=require", url.jdbcUrl());
    assertEquals("u", url.user());
    assertEquals("p", url.password());
  }

  @Test
  void thePasswordComesFromTheUrlThenTheFileThenPgpassword() {
    Map<String, String> env = Map.of("PGPASSWORD", "from-env");
    assertEquals("in-url", PostgresUrl.parse("postgresql://u:in-url@h/db", "file", env).password());
    assertEquals("file", PostgresUrl.parse("postgresql://u@h/db", "file", env).password());
    assertEquals("from-env", PostgresUrl.parse("postgresql://u@h/db", null, env).password());
    assertNull(PostgresUrl.parse("postgresql://u@h/db", null, Map.of()).password());
  }

  @Test
  void malformedUrlsAreRefusedWithoutEchoingThePassword() {
    assertTrue(PostgresUrl.isPostgres("postgres://h/db"));
    assertFalse(PostgresUrl.isPostgres("chat.db"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> PostgresUrl.parse("postgresql://u:hunter2@h", null, Map.of()));
    assertFalse(e.getMessage().contains("hunter2"));
  }
}
