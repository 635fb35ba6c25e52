package dev.jchat.cli.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One chat socket of the storm and history benches: connect, the upgrade, then whole text messages
 * handed to its {@link Listener}. It answers pings and queues what it is given; what to send and
 * when is the listener's business. States: {@code CONNECTING -> UPGRADING -> OPEN -> CLOSED}. Owned
 * by one loop thread.
 */
final class LoadSocket implements ServerFrameListener {
  /** Hears what happens on a socket; called on the loop thread. */
  interface Listener {
    /** The upgrade succeeded; the socket may send now. */
    void opened(LoadSocket s);

    void text(LoadSocket s, byte[] text);

    /** The connection ended or failed; {@code reason} is short, like {@code eof}. */
    void lost(LoadSocket s, String reason);
  }

  static final int CONNECTING = 0;
  static final int UPGRADING = 1;
  static final int OPEN = 2;
  static final int CLOSED = 3;

  private static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  final int index;
  int state = CONNECTING;

  /** When this connection attempt began, on the run's clock. */
  long startedAt;

  private final Listener listener;
  private final ClientFrames frames;
  private final SocketChannel channel;
  private final SelectionKey key;
  private final String hostHeader;
  private final String path;
  private final ServerFrameDecoder decoder = new ServerFrameDecoder(MAX_MESSAGE_BYTES);
  private String handshakeKey;
  private byte[] head;
  private int headLength;
  private ByteBuffer out;
  private boolean dirty;
  private final List<LoadSocket> dirtyList;

  private LoadSocket(
      int index,
      Listener listener,
      ClientFrames frames,
      SocketChannel channel,
      Selector selector,
      String hostHeader,
      String path,
      List<LoadSocket> dirtyList)
      throws IOException {
    this.index = index;
    this.dirtyList = dirtyList;
    this.listener = listener;
    this.frames = frames;
    this.channel = channel;
    this.hostHeader = hostHeader;
    this.path = path;
    this.key = channel.register(selector, 0, this);
  }

  /**
   * Starts connecting to {@code server}, from {@code local} when not null (another loopback
   * address, for more ports). A socket with bytes to write adds itself to {@code dirtyList} once;
   * the loop then calls {@link #flush}.
   */
  static LoadSocket connect(
      int index,
      Listener listener,
      ClientFrames frames,
      Selector selector,
      InetSocketAddress server,
      InetSocketAddress local,
      BenchConfig config,
      List<LoadSocket> dirtyList,
      long now)
      throws IOException {
    SocketChannel channel = SocketChannel.open();
    try {
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      if (local != null) {
        // May take a local port whose last connection is still in TIME_WAIT: without it, after
        // back-to-back storms (tens of thousands of such ports) the kernel's search for a free port
        // in bind() took seconds per thousand sockets, and a storm run stalled for 15-20 s.
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        channel.bind(local);
      }
      LoadSocket s =
          new LoadSocket(
              index,
              listener,
              frames,
              channel,
              selector,
              config.hostHeader(),
              config.path(),
              dirtyList);
      s.startedAt = now;
      if (channel.connect(server)) {
        s.connected();
      } else {
        s.key.interestOps(SelectionKey.OP_CONNECT);
      }
      return s;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Handles what the selector reported for this socket; the loop thread. */
  void ready(SelectionKey k, ByteBuffer buffer) {
    try {
      int ops = k.readyOps();
      if ((ops & SelectionKey.OP_CONNECT) != 0 && channel.finishConnect()) {
        connected();
      }
      if ((ops & SelectionKey.OP_WRITE) != 0 && state != CLOSED) {
        flush();
      }
      if ((ops & SelectionKey.OP_READ) != 0 && state != CLOSED) {
        read(buffer);
      }
    } catch (IOException e) {
      lose(state == CONNECTING ? "connect_error" : "io_error");
    } catch (FrameException e) {
      lose("ws_" + e.closeCode());
    }
  }

  boolean isClosed() {
    return state == CLOSED;
  }

  /** Queues a whole frame; written at the next {@link #flush}. */
  void send(byte[] frame) {
    if (state == CLOSED) {
      return;
    }
    if (out == null) {
      out = ByteBuffer.allocate(Math.max(512, frame.length));
    } else if (out.remaining() < frame.length) {
      ByteBuffer grown =
          ByteBuffer.allocate(Math.max(out.position() + frame.length, 2 * out.capacity()));
      out.flip();
      grown.put(out);
      out = grown;
    }
    out.put(frame);
    if (!dirty) {
      dirty = true;
      dirtyList.add(this);
    }
  }

  /** Writes what the socket takes, and waits for OP_WRITE while anything is left. */
  void flush() {
    dirty = false;
    if (out == null || state == CLOSED || state == CONNECTING) {
      return;
    }
    try {
      out.flip();
      channel.write(out);
      boolean left = out.hasRemaining();
      out.compact();
      int ops = SelectionKey.OP_READ | (left ? SelectionKey.OP_WRITE : 0);
      if (key.interestOps() != ops) {
        key.interestOps(ops);
      }
    } catch (IOException e) {
      lose("io_error");
    }
  }

  /**
   * Closes the socket at once, without a close frame (a dropped connection); hears nothing more.
   */
  void drop() {
    state = CLOSED;
    out = null;
    key.cancel();
    try {
      // a reset, as a lost link looks to the server, and no TIME_WAIT left on this side to slow
      // down the reconnects' bind() (see connect)
      channel.setOption(StandardSocketOptions.SO_LINGER, 0);
    } catch (IOException e) {
      // already broken: closing is all that is left
    }
    try {
      channel.close();
    } catch (IOException e) {
      // gone either way
    }
  }

  private void connected() {
    state = UPGRADING;
    key.interestOps(SelectionKey.OP_READ);
    handshakeKey = frames.handshakeKey();
    send(Upgrade.request(hostHeader, path, handshakeKey));
  }

  private void read(ByteBuffer buffer) throws IOException, FrameException {
    buffer.clear();
    if (channel.read(buffer) < 0) {
      lose("eof");
      return;
    }
    buffer.flip();
    if (state == UPGRADING) {
      readHead(buffer);
    } else if (state == OPEN) {
      decoder.decode(buffer, this);
    }
  }

  private void readHead(ByteBuffer buffer) throws FrameException {
    if (head == null) {
      head = new byte[Upgrade.MAX_RESPONSE_HEAD];
    }
    int n = Math.min(buffer.remaining(), head.length - headLength);
    buffer.get(head, headLength, n);
    headLength += n;
    int end = Upgrade.headEnd(head, headLength);
    if (end < 0) {
      if (headLength == head.length) {
        lose("bad_response");
      }
      return;
    }
    String failure =
        Upgrade.check(new String(head, 0, end - 4, StandardCharsets.ISO_8859_1), handshakeKey);
    if (failure != null) {
      lose(failure);
      return;
    }
    ByteBuffer rest = ByteBuffer.wrap(head, end, headLength - end);
    head = null;
    state = OPEN;
    listener.opened(this);
    decoder.decode(rest, this);
  }

  private void lose(String reason) {
    if (state == CLOSED) {
      return;
    }
    drop();
    listener.lost(this, reason);
  }

  @Override
  public void onText(byte[] text) {
    if (state == OPEN) {
      listener.text(this, text);
    }
  }

  @Override
  public void onPing(byte[] payload) {
    send(frames.pong(payload));
  }

  @Override
  public void onPong(byte[] payload) {}

  @Override
  public void onClose(int code, String reason) {
    lose("closed_" + code);
  }
}
