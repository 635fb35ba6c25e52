package dev.jchat.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chat bench storm}: a reconnect storm ({@link StormRun}). Prints one line per figure, then
 * one JSON line; exits 0 when every dropped member was resumed with every missed message exactly
 * once, 1 otherwise, 2 on bad options.
 */
@Command(
    name = "storm",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "A reconnect storm: --clients members in rooms of --room-size, plus one stayer per room that"
          + " stays connected and sends --rate messages per second. The members drop at once, each"
          + " room gets --missed messages, and all members reconnect at once with hello and join"
          + " with since. Reports the time until all are resumed, the time to joined (p50/p99),"
          + " whether every missed message arrived exactly once, and the stayers' latency before"
          + " and during the storm.",
      "Against jchat, run the server with --rate-limit 0 (the shared bench accounts send from"
          + " many sockets)."
    })
public final class StormCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--url",
      defaultValue = "ws://127.0.0.1:5200/ws",
      description = "The chat socket.")
  URI url;

  @Option(
      names = "--clients",
      defaultValue = "1000",
      description = "Members that drop and reconnect. Default: ${DEFAULT-VALUE}")
  int clients;

  @Option(
      names = "--room-size",
      defaultValue = "10",
      description = "Members per room (each room also has its stayer). Default: ${DEFAULT-VALUE}")
  int roomSize;

  @Option(
      names = "--missed",
      defaultValue = "3",
      description = "Messages each room gets while its members are away. Default: ${DEFAULT-VALUE}")
  int missed;

  @Option(
      names = "--rate",
      defaultValue = "2",
      description = "Messages per second per stayer. Default: ${DEFAULT-VALUE}")
  double rate;

  @Option(
      names = "--steady",
      defaultValue = "2s",
      converter = BenchCommand.DurationConverter.class,
      description = "Sending before the drop. Default: ${DEFAULT-VALUE}")
  Duration steady;

  @Option(
      names = "--timeout",
      defaultValue = "30s",
      converter = BenchCommand.DurationConverter.class,
      description = "Longest wait for all members to resume. Default: ${DEFAULT-VALUE}")
  Duration timeout;

  @Option(
      names = "--source-addresses",
      defaultValue = "1",
      description =
          "Spread the sockets over 127.0.0.1..N, for more local ports. Default: ${DEFAULT-VALUE}")
  int sourceAddresses;

  @Option(names = "--no-login", description = "Skip the REST sign-in; made-up tokens.")
  boolean noLogin;

  @Option(names = "--token-prefix", description = "Made-up tokens (implies --no-login).")
  String tokenPrefix;

  @Option(names = "--users", defaultValue = "10", description = "Shared accounts.")
  int users;

  @Option(names = "--password", defaultValue = "bench-password", description = "Their password.")
  String password;

  @Option(
      names = "--room-prefix",
      defaultValue = "storm-",
      description = "Rooms are prefix0..prefixN-1. Default: ${DEFAULT-VALUE}")
  String roomPrefix;

  @Option(
      names = "--connect-rate",
      defaultValue = "2000",
      description = "New connections per second before the storm. Default: ${DEFAULT-VALUE}")
  double connectRate;

  @Option(
      names = "--connect-timeout",
      defaultValue = "30s",
      converter = BenchCommand.DurationConverter.class,
      description = "Extra time for the first connections. Default: ${DEFAULT-VALUE}")
  Duration connectTimeout;

  @Option(names = "--payload", defaultValue = "64", description = "Bytes per text.")
  int payload;

  @Override
  public Integer call() throws Exception {
    StormConfig config;
    try {
      config = config();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Map<String, Object> report;
    try {
      report = new StormRun(config, err).run();
    } catch (IOException e) {
      err.println("chat bench storm: " + e.getMessage());
      err.flush();
      return 1;
    }
    FigureReport.print(out, report, 20);
    return clean(report) ? 0 : 1;
  }

  /** Every dropped member resumed, nothing missing, nothing twice. */
  static boolean clean(Map<String, Object> report) {
    long dropped = ((Number) report.get("dropped")).longValue();
    return dropped > 0
        && ((Number) report.get("resumed")).longValue() == dropped
        && ((Number) report.get("gaps")).longValue() == 0
        && ((Number) report.get("duplicates")).longValue() == 0;
  }

  StormConfig config() {
    if (roomSize <= 0) {
      throw new IllegalArgumentException("--room-size must be positive.");
    }
    boolean login = !noLogin && tokenPrefix == null;
    int rooms = Math.max(1, (clients + roomSize - 1) / roomSize);
    BenchConfig base =
        new BenchConfig(
            url,
            clients,
            rooms,
            0,
            0,
            0,
            Duration.ZERO,
            steady.isZero() ? Duration.ofMillis(1) : steady,
            payload,
            login,
            tokenPrefix == null ? "storm-" : tokenPrefix,
            users,
            password,
            roomPrefix,
            connectRate,
            connectTimeout,
            1,
            Duration.ofSeconds(2),
            1 << 20,
            BenchConfig.Release.ACK,
            List.of(),
            false);
    return new StormConfig(base, missed, rate, steady, timeout, sourceAddresses);
  }
}
