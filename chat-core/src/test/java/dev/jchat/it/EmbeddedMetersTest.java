package dev.jchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jchat.ChatServer;
import dev.jchat.testing.ChatServerExtension;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An embedder's own Micrometer registry gets the server's meters ({@code
 * ChatServer.Builder.meterRegistry}), they count what the server does, and they leave the registry
 * when the server closes.
 */
class EmbeddedMetersTest {
  @TempDir Path dir;

  @Test
  void theEmbeddersRegistryCountsPostedMessagesAndIsCleanedUpOnClose() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (ChatServer server =
        ChatServerExtension.start(
            Files.createDirectories(dir).resolve("chat.db"), b -> b.meterRegistry(registry))) {
      for (int i = 0; i < 3; i++) {
        server.post("general", "bot", "hello " + i).get(10, TimeUnit.SECONDS);
      }
      Counter committed = registry.find("chat.messages.committed").counter();
      assertNotNull(committed, "no chat.messages.committed in " + registry.getMetersAsString());
      assertEquals(3.0, committed.count());
      long commits = registry.find("chat.commit.duration").timer().count();
      assertTrue(commits >= 1 && commits <= 3, "commits: " + commits);
      assertNotNull(registry.find("chat.connections.open").gauge());
      assertNotNull(registry.find("chat.requests.limited").tag("kind", "messages").counter());
    }
    assertTrue(
        registry.find("chat.messages.committed").meters().isEmpty(),
        "meters left behind: " + registry.getMetersAsString());
  }
}
