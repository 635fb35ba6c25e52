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
 * {@code chat bench history}: pages per second of history reads ({@link HistoryRun}). Prints one
 * line per figure, then one JSON line; exits 0 when it ran, 1 when it could not, 2 on bad options.
 */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "History reads: fills one room up to --messages (only what is missing), then --readers"
          + " sockets each keep one history request of --page messages in flight, over random pages"
          + " of the whole room (cold) and then over its newest 100 pages (warm), each for"
          + " --duration; then the same over REST (GET /api/rooms/{id}/messages). Cold-style"
          + " reads run unmeasured for --warmup first, over each transport.",
      "Against jchat, run the server with --rate-limit 0 --read-limit 0."
    })
public final class HistoryCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--url",
      defaultValue = "ws://127.0.0.1:5200/ws",
      description = "The chat socket.")
  URI url;

  @Option(
      names = "--messages",
      defaultValue = "1000000",
      description = "Messages the room holds before reading. Default: ${DEFAULT-VALUE}")
  long messages;

  @Option(
      names = "--seeders",
      defaultValue = "2",
      description =
          "Sockets that fill the room (each also receives every message it fills it with)."
              + " Default: ${DEFAULT-VALUE}")
  int seeders;

  @Option(
      names = "--seed-window",
      defaultValue = "512",
      description = "Unacked sends per seeder. Default: ${DEFAULT-VALUE}")
  int seedWindow;

  @Option(
      names = "--readers",
      defaultValue = "8",
      description = "Requests in flight, one per socket. Default: ${DEFAULT-VALUE}")
  int readers;

  @Option(names = "--page", defaultValue = "50", description = "Messages per page (limit).")
  int page;

  @Option(
      names = "--duration",
      defaultValue = "10s",
      converter = BenchCommand.DurationConverter.class,
      description = "Length of each phase. Default: ${DEFAULT-VALUE}")
  Duration duration;

  @Option(
      names = "--warmup",
      defaultValue = "5s",
      converter = BenchCommand.DurationConverter.class,
      description =
          "How long cold-style reads run unmeasured first, over each transport, so that the"
              + " server's JIT is done compiling before the phases. Default: ${DEFAULT-VALUE}")
  Duration warmup;

  @Option(
      names = "--transport",
      defaultValue = "both",
      description = "socket, rest or both. Default: ${DEFAULT-VALUE}")
  String transport;

  @Option(
      names = "--server-pid",
      defaultValue = "0",
      description = "The server's process id, to report its resident memory (Linux).")
  long serverPid;

  @Option(names = "--room", defaultValue = "history-0", description = "The room to fill and read.")
  String room;

  @Option(names = "--users", defaultValue = "10", description = "Shared accounts.")
  int users;

  @Option(names = "--password", defaultValue = "bench-password", description = "Their password.")
  String password;

  @Option(names = "--payload", defaultValue = "64", description = "Bytes per text.")
  int payload;

  @Override
  public Integer call() throws Exception {
    HistoryConfig config;
    try {
      config = config();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Map<String, Object> report;
    try {
      report = new HistoryRun(config, err).run();
    } catch (IOException e) {
      err.println("chat bench history: " + e.getMessage());
      err.flush();
      return 1;
    }
    FigureReport.print(out, report, 26);
    return 0;
  }

  HistoryConfig config() {
    if (!room.endsWith("0")) {
      throw new IllegalArgumentException("--room must end in 0 (it is the first bench room).");
    }
    boolean socket = !transport.equals("rest");
    boolean rest = !transport.equals("socket");
    if (!transport.equals("both") && !transport.equals("socket") && !transport.equals("rest")) {
      throw new IllegalArgumentException("--transport must be socket, rest or both.");
    }
    BenchConfig base =
        new BenchConfig(
            url,
            1,
            1,
            0,
            0,
            0,
            Duration.ZERO,
            duration,
            payload,
            true,
            "history-",
            users,
            password,
            room.substring(0, room.length() - 1),
            1000,
            Duration.ofSeconds(30),
            1,
            Duration.ofSeconds(2),
            1 << 20,
            BenchConfig.Release.ACK,
            List.of(),
            false);
    return new HistoryConfig(
        base,
        messages,
        seeders,
        seedWindow,
        readers,
        page,
        duration,
        warmup,
        socket,
        rest,
        serverPid);
  }
}
