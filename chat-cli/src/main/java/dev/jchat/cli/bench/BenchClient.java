package dev.jchat.cli.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One socket of the load: its handshake, its decoder and its outbound queue. The states, each
 * bounded by the connect timeout until {@code JOINED}:
 *
 * <pre>
 *   CONNECTING -> UPGRADING (request sent, reading the 101) -> HELLO (waiting for welcome)
 *   -> JOINING (waiting for joined) -> JOINED -> CLOSING (our close frame sent) -> CLOSED
 * </pre>
 *
 * <p>What the frames mean for the run is the {@link ClientReactions}' business: this class only
 * moves bytes and reports. Owned by one loop thread.
 */
final class BenchClient implements ServerFrameListener {
  static final int NEW = 0;
  static final int CONNECTING = 1;
  static final int UPGRADING = 2;
  static final int HELLO = 3;
  static final int JOINING = 4;
  static final int JOINED = 5;
  static final int CLOSING = 6;
  static final int CLOSED = 7;

  /** The largest server message accepted: a {@code joined} with history and presence fits. */
  private static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

  final int index;
  final int room;
  final boolean sender;
  private final String token;
  private final ClientLoop loop;

  int state = NEW;

  /** When the handshake must be done by, on the run's clock. */
  long deadline;

  /** Whether the server's close came before ours. */
  boolean closedByServer;

  private SocketChannel channel;
  private SelectionKey key;
  private String handshakeKey;
  private byte[] head;
  private int headLength;
  private final ServerFrameDecoder decoder = new ServerFrameDecoder(MAX_MESSAGE_BYTES);

  /** Unsent bytes, in write mode; null while empty. */
  private ByteBuffer out;

  boolean dirty;

  // The sender's bookkeeping, kept by Senders.
  long sends;
  long warmupSends;
  long measuredSends;
  long replies;
  int outstanding;
  long nextSendAt;

  BenchClient(int index, int room, boolean sender, String token, ClientLoop loop) {
    this.index = index;
    this.room = room;
    this.sender = sender;
    this.token = token;
    this.loop = loop;
  }

  void connect(Selector selector, InetSocketAddress address, long deadline) throws IOException {
    this.deadline = deadline;
    state = CONNECTING;
    channel = SocketChannel.open();
    channel.configureBlocking(false);
    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    key = channel.register(selector, 0, this);
    if (channel.connect(address)) {
      connected();
    } else {
      key.interestOps(SelectionKey.OP_CONNECT);
    }
  }

  void onConnectable() throws IOException {
    if (channel.finishConnect()) {
      connected();
    }
  }

  private void connected() {
    state = UPGRADING;
    key.interestOps(SelectionKey.OP_READ);
    handshakeKey = loop.frames.handshakeKey();
    queue(Upgrade.request(loop.config.hostHeader(), loop.config.path(), handshakeKey));
  }

  /** Reads once into {@code buffer} and handles what arrived; false at end of stream. */
  boolean onReadable(ByteBuffer buffer) throws IOException, FrameException {
    buffer.clear();
    if (channel.read(buffer) < 0) {
      return false;
    }
    buffer.flip();
    if (state == UPGRADING) {
      readHead(buffer);
    } else {
      decoder.decode(buffer, this);
    }
    return true;
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
        loop.reactions.fail(this, "bad_response");
      }
      return;
    }
    String failure =
        Upgrade.check(new String(head, 0, end - 4, StandardCharsets.ISO_8859_1), handshakeKey);
    if (failure != null) {
      loop.reactions.fail(this, failure);
      return;
    }
    ByteBuffer rest = ByteBuffer.wrap(head, end, headLength - end);
    head = null;
    state = HELLO;
    queue(loop.frames.hello(token));
    decoder.decode(rest, this);
  }

  void onWritable() throws IOException {
    flush();
  }

  /** Appends a whole frame to the outbound queue; the loop flushes it. */
  void queue(byte[] frame) {
    if (state == CLOSED) {
      return;
    }
    if (out == null) {
      out = ByteBuffer.allocate(Math.max(1024, frame.length));
    } else if (out.remaining() < frame.length) {
      int needed = out.position() + frame.length;
      if (needed > loop.config.maxQueueBytes()) {
        loop.reactions.fail(this, "queue_full");
        return;
      }
      int capacity = Math.min(loop.config.maxQueueBytes(), Math.max(needed, 2 * out.capacity()));
      ByteBuffer grown = ByteBuffer.allocate(capacity);
      out.flip();
      grown.put(out);
      out = grown;
    }
    out.put(frame);
    if (!dirty) {
      dirty = true;
      loop.dirty(this);
    }
  }

  /** Writes what the socket takes, and asks for OP_WRITE while anything is left. */
  void flush() throws IOException {
    dirty = false;
    if (out == null || state == CLOSED) {
      return;
    }
    out.flip();
    channel.write(out);
    boolean left = out.hasRemaining();
    if (left) {
      out.compact();
    } else if (out.capacity() > 64 * 1024) {
      out = null;
    } else {
      out.clear();
    }
    int ops = SelectionKey.OP_READ | (left ? SelectionKey.OP_WRITE : 0);
    if (key.interestOps() != ops) {
      key.interestOps(ops);
    }
  }

  /** Sends our close frame; the socket closes when the server answers or the loop gives up. */
  void startClosing() {
    if (state == CLOSED || state == CLOSING) {
      return;
    }
    if (state < HELLO) {
      closeNow();
      return;
    }
    state = CLOSING;
    queue(loop.frames.close(1000));
  }

  void closeNow() {
    state = CLOSED;
    out = null;
    head = null;
    if (key != null) {
      key.cancel();
    }
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // Nothing more to do with a socket that will not close.
      }
    }
  }

  void sendJoin() {
    state = JOINING;
    queue(loop.frames.join(loop.control.rooms[room]));
  }

  @Override
  public void onText(byte[] text) {
    loop.reactions.onText(this, text);
  }

  @Override
  public void onPing(byte[] payload) {
    queue(loop.frames.pong(payload));
  }

  @Override
  public void onPong(byte[] payload) {}

  @Override
  public void onClose(int code, String reason) {
    loop.reactions.onServerClose(this, code);
  }
}
