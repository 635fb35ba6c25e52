package dev.jchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jchat.ChatServer;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code chat server} shows the defaults that {@code ChatServer.builder()} really uses: each shown
 * default is compared with the value of the builder field it sets, read from a fresh builder.
 */
final class ServerDefaultsTest {
  /** Each option or parameter with a default, and the builder field it sets. */
  private static final Map<String, String> BUILDER_FIELDS =
      Map.ofEntries(
          Map.entry("PORT", "port"),
          Map.entry("--host", "host"),
          Map.entry("--db", "database"),
          Map.entry("--rooms", "rooms"),
          Map.entry("--rate-limit", "rateLimit"),
          Map.entry("--max-connections", "maxConnections"),
          Map.entry("--max-message-bytes", "maxMessageBytes"),
          Map.entry("--max-text", "maxTextLength"),
          Map.entry("--max-header-bytes", "maxHeaderBytes"),
          Map.entry("--max-body-bytes", "maxBodyBytes"),
          Map.entry("--outbound-limit", "outboundLimitBytes"),
          Map.entry("--history-memory", "historyMemoryBytes"),
          Map.entry("--hello-timeout", "helloTimeout"),
          Map.entry("--ping-interval", "pingInterval"),
          Map.entry("--signup-limit", "signupsPerHour"),
          Map.entry("--login-failures", "loginFailures"),
          Map.entry("--room-limit", "roomsPerHour"),
          Map.entry("--read-limit", "readsPerSecond"),
          Map.entry("--request-timeout", "requestTimeout"),
          Map.entry("--max-connections-per-address", "maxConnectionsPerAddress"),
          Map.entry("--max-sessions-per-user", "maxSessionsPerUser"));

  /** Options with a default that set no builder field (the CLI's own), and that default. */
  private static final Map<String, String> CLI_ONLY =
      Map.of("--log-format", "text", "--metrics", MetricsEndpoint.DEFAULT_ADDRESS);

  private final CommandSpec spec = new CommandLine(new ServerCommand()).getCommandSpec();

  @Test
  void everyShownDefaultIsTheBuildersDefault() throws Exception {
    ChatServer.Builder builder = ChatServer.builder();
    Map<String, String> shown = shownDefaults();
    Map<String, String> expected = new TreeMap<>(BUILDER_FIELDS);
    expected.putAll(CLI_ONLY);
    assertEquals(
        expected.keySet(),
        shown.keySet(),
        "options with a default; add new ones to BUILDER_FIELDS (or CLI_ONLY)");
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, String> option : shown.entrySet()) {
      if (CLI_ONLY.containsKey(option.getKey())) {
        if (!CLI_ONLY.get(option.getKey()).equals(option.getValue())) {
          wrong.add(option.getKey() + " shows " + option.getValue());
        }
        continue;
      }
      String field = BUILDER_FIELDS.get(option.getKey());
      String builders = asShown(builderValue(builder, field));
      if (!builders.equals(option.getValue())) {
        wrong.add(
            option.getKey() + " shows " + option.getValue() + ", the builder has " + builders);
      }
    }
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
  }

  @Test
  void theHelpShowsTheDefaults() {
    String help = spec.commandLine().getUsageMessage(CommandLine.Help.Ansi.OFF);
    assertTrue(help.contains("(default: " + ChatServer.Defaults.PORT + ";"), help);
    assertTrue(
        help.contains("(default: " + ChatServer.Defaults.MAX_BODY_BYTES + ")"), "max body bytes");
    assertTrue(help.contains("(default: ./" + ChatServer.Defaults.DATABASE + ")"), "database");
  }

  /** The default each option and positional parameter declares, keyed by name or label. */
  private Map<String, String> shownDefaults() {
    Map<String, String> shown = new TreeMap<>();
    for (ArgSpec arg : spec.args()) {
      if (arg.defaultValue() == null) {
        continue;
      }
      String name = arg.isOption() ? ((OptionSpec) arg).longestName() : arg.paramLabel();
      shown.put(name, arg.defaultValue());
    }
    return shown;
  }

  private static Object builderValue(ChatServer.Builder builder, String name) throws Exception {
    Field field = ChatServer.Builder.class.getDeclaredField(name);
    field.setAccessible(true);
    return field.get(builder);
  }

  /** A builder value written the way the command line takes it. */
  private static String asShown(Object value) {
    if (value instanceof Duration d) {
      return String.valueOf(d.toSeconds());
    }
    if (value instanceof Path p) {
      return p.toString();
    }
    if (value instanceof List<?> list) {
      List<String> items = new ArrayList<>();
      list.forEach(item -> items.add(String.valueOf(item)));
      return String.join(",", items);
    }
    if (value instanceof Double d && d == Math.rint(d)) {
      return String.valueOf(d.longValue());
    }
    return String.valueOf(value);
  }
}
