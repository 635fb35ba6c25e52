package dev.jchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * docker-compose.cluster.yml and its balancer's deploy/haproxy.cfg, checked without a Docker
 * engine: the file parses (when a compose command is installed, as ./test makes sure), three nodes
 * run the same {@code chat server} on the shared PostgreSQL and Redis, only the balancer publishes
 * a port, and the balancer names every node, checks {@code /api/health} and keeps upgraded
 * WebSockets open longer than the server's ping interval (and {@code haproxy -c} accepts it, where
 * installed).
 */
class ClusterComposeTest {
  private static final String FILE = "docker-compose.cluster.yml";
  private static final String HAPROXY_CFG = "deploy/haproxy.cfg";
  private static final List<String> NODES = List.of("chat1", "chat2", "chat3");
  private static final List<String> NODE_COMMAND =
      List.of(
          "server",
          "5200",
          "--db",
          "postgresql://chat@postgres:5432/chat",
          "--bus",
          "redis://redis:6379");

  private final ShippingTest.Compose compose = new ShippingTest.Compose(ShippingTest.read(FILE));
  private final String haproxy = ShippingTest.read(HAPROXY_CFG);

  @Test
  void theClusterComposeFileParses() throws Exception {
    List<String> composeCommand = ShippingTest.composeCommand();
    assumeTrue(composeCommand != null, "neither docker-compose nor `docker compose` is installed");
    List<String> command = new ArrayList<>(composeCommand);
    command.addAll(List.of("-f", ShippingTest.ROOT.resolve(FILE).toString(), "config"));
    ShippingTest.Run run = ShippingTest.Run.of(ShippingTest.ROOT, command);
    assertEquals(0, run.exitCode(), String.join(" ", command) + " said:\n" + run.output());
    String merged = run.output();
    for (String expected :
        List.of(
            "image: postgres:15",
            "image: redis:7",
            "image: haproxy:",
            "PGPASSWORD",
            "redis://redis:6379",
            "haproxy.cfg")) {
      assertTrue(merged.contains(expected), expected + " in:\n" + merged);
    }
    for (String node : NODES) {
      assertTrue(merged.contains("\n  " + node + ":\n"), node + " in:\n" + merged);
    }
  }

  @Test
  void threeNodesRunTheSameServerOnTheSharedDatabaseAndBus() throws Exception {
    for (String node : NODES) {
      assertEquals(NODE_COMMAND, compose.flowList(node, "command"), node);
      assertTrue(compose.service(node).contains("<<: *node"), node + " shares the node settings");
      assertFalse(compose.service(node).contains("ports:"), node + " is reached through the lb");
    }
    String shared = ShippingTest.read(FILE);
    assertTrue(shared.contains("PGPASSWORD: \"${CHAT_DB_PASSWORD:-change-me}\""), shared);
    assertTrue(compose.service("redis").contains("image: redis:7"), compose.service("redis"));
    ParseResult parsed =
        new CommandLine(new ServerCommand())
            .parseArgs(NODE_COMMAND.subList(1, NODE_COMMAND.size()).toArray(String[]::new));
    assertEquals("redis://redis:6379", parsed.matchedOptionValue("--bus", null));
  }

  @Test
  void onlyTheBalancerIsPublishedAndTheClientGoesThroughIt() throws Exception {
    String lb = compose.service("lb");
    assertTrue(lb.contains("- \"${CHAT_PORT:-5200}:5200\""), lb);
    assertTrue(lb.contains("- ./" + HAPROXY_CFG + ":/usr/local/etc/haproxy/haproxy.cfg:ro"), lb);
    assertEquals(
        List.of("java", "-jar", "/app/chat.jar", "client", "5200", "--host", "lb"),
        compose.flowList("client", "entrypoint"));
  }

  @Test
  void theBalancerNamesEveryNodeAndChecksItsHealth() {
    String backend = section("backend nodes");
    for (String node : NODES) {
      assertTrue(
          Pattern.compile("(?m)^\\s*server " + node + " " + node + ":5200\\b")
              .matcher(backend)
              .find(),
          node + " in:\n" + backend);
    }
    assertTrue(backend.contains("option httpchk"), backend);
    assertTrue(backend.contains("uri /api/health"), backend);
    assertTrue(backend.contains("http-check expect status 200"), backend);
    assertTrue(
        Pattern.compile("(?m)^\\s*default-server check\\b").matcher(backend).find(), backend);
    assertFalse(backend.contains("cookie"), "no stickiness is needed");
    assertTrue(section("frontend chat").contains("bind :5200"), haproxy);
  }

  @Test
  void theBalancerPassesWebSocketUpgradesAndKeepsThemOpenPastThePingInterval() {
    String defaults = section("defaults");
    assertTrue(Pattern.compile("(?m)^\\s*mode http\\s*$").matcher(defaults).find(), defaults);
    assertFalse(haproxy.contains("option httpclose"), "would close the upgraded connection");
    Matcher tunnel = Pattern.compile("(?m)^\\s*timeout tunnel (\\d+)s\\s*$").matcher(defaults);
    assertTrue(tunnel.find(), "an upgraded socket is timed by `timeout tunnel`:\n" + defaults);
    assertTrue(Integer.parseInt(tunnel.group(1)) > 2 * 30, "more than twice the 30 s ping");
  }

  @Test
  void haproxyAcceptsTheConfiguration() throws Exception {
    assumeTrue(ShippingTest.onPath("haproxy"), "haproxy is not installed");
    List<String> command = List.of("haproxy", "-c", "-f", HAPROXY_CFG);
    ShippingTest.Run run = ShippingTest.Run.of(ShippingTest.ROOT, command);
    assertEquals(0, run.exitCode(), String.join(" ", command) + " said:\n" + run.output());
  }

  /** A section of haproxy.cfg: its header line up to the next unindented line. */
  private String section(String header) {
    StringBuilder block = new StringBuilder();
    boolean inside = false;
    for (String line : haproxy.split("\n")) {
      boolean top = !line.isBlank() && !Character.isWhitespace(line.charAt(0));
      if (inside && top && !line.startsWith("#")) {
        break;
      }
      if (inside) {
        block.append(line).append('\n');
      }
      if (line.strip().equals(header)) {
        inside = true;
      }
    }
    assertTrue(inside, "no section '" + header + "' in " + HAPROXY_CFG);
    return block.toString();
  }
}
