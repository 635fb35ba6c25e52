package dev.jchat.cli.client;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * A JLine terminal on pipes, for driving the console in tests: {@link #type} sends keys, and {@link
 * #await} waits, with a timeout, until the screen shows something.
 */
final class TestTerminal implements AutoCloseable {
  private static final Pattern ESCAPES = Pattern.compile("\u001b\\[[0-9;?]*[A-Za-z]|\u001b[=>]|\r");
  private final Terminal terminal;
  private final OutputStream keyboard;
  private final Screen screen = new Screen();

  TestTerminal() {
    try {
      Pipe keys = Pipe.open();
      keyboard = Channels.newOutputStream(keys.sink());
      terminal =
          TerminalBuilder.builder()
              .system(false)
              .streams(Channels.newInputStream(keys.source()), screen)
              .type("dumb")
              .provider("exec") // a plain stream terminal, no pseudo-terminal
              .size(Size.of(160, 40))
              .encoding(StandardCharsets.UTF_8)
              .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Terminal terminal() {
    return terminal;
  }

  /**
   * Runs the interactive client on this terminal, on a thread of its own; completes with its exit
   * code.
   */
  java.util.concurrent.CompletableFuture<Integer> run(
      ClientOptions options, ChatSession.Settings settings) {
    var exit = new java.util.concurrent.CompletableFuture<Integer>();
    ChatConsole console = new ChatConsole(terminal, options, false, settings);
    Thread thread =
        new Thread(
            () -> {
              try {
                exit.complete(console.run());
              } catch (Throwable e) {
                exit.completeExceptionally(e);
              }
            },
            "console-" + options.user());
    thread.setDaemon(true);
    thread.start();
    return exit;
  }

  /** Types text; {@code \n} is Enter. */
  void type(String text) {
    try {
      keyboard.write(text.getBytes(StandardCharsets.UTF_8));
      keyboard.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Types a line and Enter. */
  void line(String text) {
    type(text + "\n");
  }

  /** Ends the input, like Ctrl-D on an empty line. */
  void endOfInput() {
    try {
      keyboard.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits until the screen shows {@code text} somewhere after {@code from}; returns where it ends.
   */
  int await(String text, int from) {
    return screen.await(text, from, Duration.ofSeconds(30));
  }

  /** Waits until the screen shows {@code text} anywhere; returns where it ends. */
  int await(String text) {
    return await(text, 0);
  }

  /** Everything shown so far, without escape sequences and carriage returns. */
  String screen() {
    return screen.text();
  }

  /** How often the screen shows {@code text}. */
  int count(String text) {
    String all = screen();
    int n = 0;
    for (int i = all.indexOf(text); i >= 0; i = all.indexOf(text, i + text.length())) {
      n++;
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    terminal.close();
  }

  /** What the terminal printed, decoded, with waiters. */
  private static final class Screen extends OutputStream {
    private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) {
      bytes.write(b);
      notifyAll();
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      bytes.write(b, off, len);
      notifyAll();
    }

    synchronized String text() {
      return ESCAPES
          .matcher(bytes.toString(StandardCharsets.UTF_8))
          .replaceAll(Matcher.quoteReplacement(""));
    }

    synchronized int await(String text, int from, Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        String all = text();
        int at = all.indexOf(text, Math.min(from, all.length()));
        if (at >= 0) {
          return at + text.length();
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("the screen never showed \"" + text + "\"; it shows:\n" + all);
        }
        try {
          java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted", e);
        }
      }
    }
  }
}
