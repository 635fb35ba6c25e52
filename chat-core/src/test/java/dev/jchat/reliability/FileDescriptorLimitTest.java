package dev.jchat.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jchat.testing.Await;
import dev.jchat.testing.ChildServer;
import dev.jchat.testing.RawHttp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * More clients than the process has file descriptors for: with the default connection cap (50,000)
 * above the open-file limit, the server must still refuse politely (503) instead of leaving clients
 * in the backlog, keep serving those it accepted, and accept again once clients leave. The server
 * runs in a child JVM under {@code ulimit -n 300}.
 */
final class FileDescriptorLimitTest {
  private static final int CLIENTS = 400;

  @TempDir Path dir;

  @Test
  void clientsPastTheOpenFileLimitAreRefusedPolitelyAndTheServerRecovers() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash for ulimit");
    try (ChildServer child =
        ChildServer.start(dir.resolve("chat.db"), false, 300, dir.resolve("child.log"))) {
      int port = child.port();
      List<RawHttp> clients = new ArrayList<>();
      int served = 0;
      int refused = 0;
      try {
        for (int i = 0; i < CLIENTS; i++) {
          clients.add(RawHttp.connect(port));
        }
        for (RawHttp c : clients) {
          RawHttp.Response r =
              c.send(
                  "GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n"
                      .getBytes(StandardCharsets.US_ASCII));
          if (r.status() == 200) {
            served++;
          } else {
            assertEquals(503, r.status());
            assertEquals("unavailable", r.errorCode());
            refused++;
          }
        }
      } finally {
        clients.forEach(RawHttp::close);
      }
      assertTrue(served > 0 && refused > 0, served + " served, " + refused + " refused");
      assertEquals(CLIENTS, served + refused, "every client got an answer");

      Await.until(
          "the server accepts again",
          () ->
              RawHttp.exchange(
                          port, "GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                      .status()
                  == 200);
      String log = child.log();
      assertTrue(log.contains("open-file limit is 300"), log);
      assertFalse(log.contains("Exception") || log.contains("Error"), log);
    }
  }
}
