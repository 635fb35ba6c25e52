package dev.jchat.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chat bench}: a load generator for any server speaking the chat protocol. It prints a table
 * and then one JSON line on standard output, progress on standard error, and exits 0 when it ran, 1
 * when no client could join (or signing in failed), 2 on bad options.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    subcommands = {StormCommand.class, HistoryCommand.class},
    sortOptions = false,
    description = {
      "Opens --clients sockets at a bounded rate, joins them to --rooms rooms, lets the first"
          + " --senders-per-room members of each room send stamped texts (at --rate each, or"
          + " keeping --window unacked), and reports deliveries per second and latency"
          + " percentiles: a table, then one JSON line. Stops by itself.",
      "Against servers without accounts, use --no-login: hello then carries a made-up token."
    })
public final class BenchCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--url",
      defaultValue = "ws://127.0.0.1:5200/ws",
      description = "The chat socket; REST is at the same host and port. Default: ${DEFAULT-VALUE}")
  URI url;

  @Option(
      names = "--spread",
      split = ",",
      paramLabel = "URL",
      description =
          "More nodes of the same server (several nodes): the members of each room are dealt"
              + " round-robin over --url and these, so that messages cross nodes.")
  List<URI> spread = new ArrayList<>();

  @Option(
      names = "--clients",
      defaultValue = "100",
      description = "Sockets. Default: ${DEFAULT-VALUE}")
  int clients;

  @Option(
      names = "--rooms",
      defaultValue = "10",
      description = "Rooms; client i joins room i %% rooms. Default: ${DEFAULT-VALUE}")
  int rooms;

  @Option(
      names = "--senders-per-room",
      defaultValue = "1",
      description =
          "Members of each room that send; 0 holds idle connections. Default: ${DEFAULT-VALUE}")
  int sendersPerRoom;

  @Option(
      names = "--rate",
      description = "Messages per second per sender. Default: 10, unless --window")
  Double rate;

  @Option(names = "--window", description = "Unacknowledged sends per sender, instead of --rate.")
  Integer window;

  @Option(
      names = "--refs",
      description =
          "Every send carries a ref of its own, as the project's clients send them (idempotent"
              + " sends: the server looks each one up before storing it).")
  boolean refs;

  @Option(
      names = "--release",
      defaultValue = "ack",
      description =
          "What frees a window slot: ack, or echo (the sender's own message). Default:"
              + " ${DEFAULT-VALUE}")
  String release;

  @Option(
      names = "--duration",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description = "Measured time, like 10s, 500ms, 2m. Default: ${DEFAULT-VALUE}")
  Duration duration;

  @Option(
      names = "--warmup",
      defaultValue = "2s",
      converter = DurationConverter.class,
      description = "Sending before the measured time, not counted. Default: ${DEFAULT-VALUE}")
  Duration warmup;

  @Option(
      names = "--payload",
      defaultValue = "64",
      description = "Bytes per text. Default: ${DEFAULT-VALUE}")
  int payload;

  @Option(
      names = "--no-login",
      description = "Skip the REST sign-in; hello carries --token-prefix plus the client number.")
  boolean noLogin;

  @Option(
      names = "--token-prefix",
      description = "Made-up tokens (implies --no-login). Default: bench-")
  String tokenPrefix;

  @Option(
      names = "--users",
      defaultValue = "10",
      description = "Shared accounts bench-1..N when signing in. Default: ${DEFAULT-VALUE}")
  int users;

  @Option(
      names = "--password",
      defaultValue = "bench-password",
      description = "Their password. Default: ${DEFAULT-VALUE}")
  String password;

  @Option(
      names = "--room-prefix",
      defaultValue = "bench-",
      description = "Rooms are named prefix0..prefixN-1. Default: ${DEFAULT-VALUE}")
  String roomPrefix;

  @Option(
      names = "--connect-rate",
      defaultValue = "2000",
      description = "New connections per second. Default: ${DEFAULT-VALUE}")
  double connectRate;

  @Option(
      names = "--connect-timeout",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description = "From connect to joined, per client. Default: ${DEFAULT-VALUE}")
  Duration connectTimeout;

  @Option(
      names = "--drain",
      defaultValue = "2s",
      converter = DurationConverter.class,
      description =
          "Longest wait for outstanding acks and deliveries at the end. Default: ${DEFAULT-VALUE}")
  Duration drain;

  @Option(
      names = "--threads",
      defaultValue = "1",
      description = "Selector threads, 1 or 2. Default: ${DEFAULT-VALUE}")
  int threads;

  @Option(
      names = "--max-queue",
      defaultValue = "1048576",
      description =
          "Unsent bytes per socket before it is dropped as a failure. Default: ${DEFAULT-VALUE}")
  int maxQueue;

  @Override
  public Integer call() throws Exception {
    BenchConfig config;
    try {
      config = config();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    BenchReport report;
    try {
      report = new BenchRun(config, err).run();
    } catch (IOException e) {
      err.println("chat bench: " + e.getMessage());
      err.flush();
      return 1;
    }
    out.print(report.table());
    out.println(report.json());
    out.flush();
    return report.connectedAny() ? 0 : 1;
  }

  BenchConfig config() {
    boolean login = !noLogin && tokenPrefix == null;
    double r = rate != null ? rate : (window == null ? 10 : 0);
    BenchConfig.Release how;
    try {
      how = BenchConfig.Release.valueOf(release.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--release must be ack or echo: " + release);
    }
    return new BenchConfig(
        url,
        clients,
        rooms,
        sendersPerRoom,
        r,
        window == null ? 0 : window,
        warmup,
        duration,
        payload,
        login,
        tokenPrefix == null ? "bench-" : tokenPrefix,
        users,
        password,
        roomPrefix,
        connectRate,
        connectTimeout,
        threads,
        drain,
        maxQueue,
        how,
        spread,
        refs);
  }

  /** Reads {@code 10}, {@code 10s}, {@code 500ms}, {@code 2m}: seconds when no unit is given. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m)?");

    @Override
    public Duration convert(String value) {
      Matcher m = FORMAT.matcher(value.trim());
      if (!m.matches()) {
        throw new CommandLine.TypeConversionException(
            "Expected a duration like 10s, 500ms or 2m: " + value);
      }
      double amount = Double.parseDouble(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2);
      double millis = unit.equals("ms") ? amount : unit.equals("s") ? amount * 1e3 : amount * 60e3;
      return Duration.ofNanos(Math.round(millis * 1e6));
    }
  }
}
