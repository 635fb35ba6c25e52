package dev.jchat.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jchat.internal.websocket.FrameDecoder;
import dev.jchat.internal.websocket.FrameEncoder;
import dev.jchat.internal.websocket.FrameListener;
import dev.jchat.internal.websocket.WebSocketException;
import dev.jchat.internal.websocket.WebSocketProtocol;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test server speaking the hello/join/send subset of the protocol the way the peers do: any token
 * is accepted and becomes the user id, nothing is stored, {@code seq} counts per room. One thread
 * per connection, blocking sockets; fine for a few dozen clients. When {@code acks} is false it
 * never acks, so only the sender's own message tells that a send went through.
 *
 * <p>It also answers the three REST calls {@code chat bench} makes to sign in, and records them:
 * {@code POST /api/users} (409 when taken), {@code POST /api/sessions} (the token is {@code
 * token-<userId>-<n>}, which {@code hello} turns back into the user id) and {@code POST /api/rooms}
 * (409 when taken).
 */
final class SubsetServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern KEY = Pattern.compile("(?im)^Sec-WebSocket-Key:\\s*(\\S+)\\s*$");
  private static final Pattern CONTENT_LENGTH =
      Pattern.compile("(?im)^Content-Length:\\s*(\\d+)\\s*$");

  private final ServerSocket server;
  private final boolean acks;
  private final Map<String, List<Connection>> rooms = new ConcurrentHashMap<>();
  private final Map<String, Long> seqs = new ConcurrentHashMap<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  /** The REST calls received, as {@code "POST /api/users bench-1"}, in order. */
  final List<String> restCalls = new CopyOnWriteArrayList<>();

  /** The user ids that said hello, in order. */
  final List<String> hellos = new CopyOnWriteArrayList<>();

  private final Map<String, String> passwords = new ConcurrentHashMap<>();
  private final Map<String, Boolean> createdRooms = new ConcurrentHashMap<>();

  SubsetServer(boolean acks) throws IOException {
    this.acks = acks;
    this.server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "subset-server-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String url() {
    return "ws://127.0.0.1:" + server.getLocalPort() + "/ws";
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        sockets.add(s);
        Thread t = new Thread(() -> serve(s), "subset-server-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      socket.setTcpNoDelay(true);
      InputStream in = socket.getInputStream();
      Connection c = new Connection(socket.getOutputStream());
      String head = readHead(in);
      while (head.startsWith("POST ")) {
        c.write(rest(head, in));
        head = readHead(in);
      }
      if (!c.upgrade(head)) {
        return;
      }
      FrameDecoder decoder = new FrameDecoder(65_536, true);
      byte[] buffer = new byte[8192];
      int n;
      while (!c.closed && (n = in.read(buffer)) > 0) {
        decoder.decode(ByteBuffer.wrap(buffer, 0, n), c);
      }
    } catch (IOException | WebSocketException e) {
      // The client went away or broke the protocol: this connection ends.
    }
  }

  /** Answers one REST call, whose body follows {@code head} in {@code in}. */
  private byte[] rest(String head, InputStream in) throws IOException {
    Matcher length = CONTENT_LENGTH.matcher(head);
    JsonNode body =
        JSON.readTree(
            length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : new byte[0]);
    String path = head.substring(5, head.indexOf(' ', 5));
    int status = 201;
    ObjectNode answer = JSON.createObjectNode();
    if (path.equals("/api/users")) {
      String user = body.path("userId").asText();
      restCalls.add("POST /api/users " + user);
      status = passwords.putIfAbsent(user, body.path("password").asText()) == null ? 201 : 409;
      answer.put("userId", user);
    } else if (path.equals("/api/sessions")) {
      String user = body.path("userId").asText();
      restCalls.add("POST /api/sessions " + user);
      if (body.path("password").asText().equals(passwords.get(user))) {
        answer.put("token", "token-" + user + "-" + restCalls.size()).put("userId", user);
      } else {
        status = 401;
      }
    } else if (path.equals("/api/rooms")) {
      String room = body.path("roomId").asText();
      restCalls.add("POST /api/rooms " + room);
      status = createdRooms.putIfAbsent(room, true) == null ? 201 : 409;
      answer.put("roomId", room);
    } else {
      status = 404;
    }
    byte[] json = JSON.writeValueAsBytes(answer);
    String response =
        "HTTP/1.1 "
            + status
            + " X\r\nContent-Type: application/json\r\n"
            + "Content-Length: "
            + json.length
            + "\r\n\r\n";
    byte[] bytes = response.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[bytes.length + json.length];
    System.arraycopy(bytes, 0, out, 0, bytes.length);
    System.arraycopy(json, 0, out, bytes.length, json.length);
    return out;
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int last4 = 0;
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      last4 = (last4 << 8) | b;
      if (last4 == 0x0D0A0D0A) {
        break;
      }
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private final class Connection implements FrameListener {
    private final OutputStream out;
    private String userId;
    boolean closed;

    Connection(OutputStream out) {
      this.out = out;
    }

    boolean upgrade(String head) throws IOException {
      Matcher key = KEY.matcher(head);
      if (!head.startsWith("GET /ws ") || !key.find()) {
        write(
            "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        return false;
      }
      write(
          ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Accept: "
                  + WebSocketProtocol.acceptKey(key.group(1))
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      return true;
    }

    @Override
    public void onText(byte[] utf8) {
      try {
        JsonNode msg = JSON.readTree(utf8);
        String type = msg.path("type").asText();
        if (userId == null) {
          userId = msg.path("token").asText().replaceFirst("^token-(.*)-\\d+$", "$1");
          hellos.add(userId);
          send(
              JSON.createObjectNode()
                  .put("type", "welcome")
                  .put("userId", userId)
                  .put("server", "subset/1"));
        } else if (type.equals("join")) {
          String room = msg.path("room").asText();
          rooms.computeIfAbsent(room, r -> new CopyOnWriteArrayList<>()).add(this);
          send(
              JSON.createObjectNode()
                  .put("type", "joined")
                  .put("room", room)
                  .put("lastSeq", 0)
                  .put("complete", true));
        } else if (type.equals("send")) {
          sendToRoom(msg.path("room").asText(), msg.path("text").asText());
        }
      } catch (IOException e) {
        closed = true;
      }
    }

    private void sendToRoom(String room, String text) throws IOException {
      // One lock per room keeps seq order equal to delivery order, as the protocol requires.
      List<Connection> members = rooms.get(room);
      synchronized (members) {
        long seq = seqs.merge(room, 1L, Long::sum);
        if (acks) {
          send(
              JSON.createObjectNode()
                  .put("type", "ack")
                  .put("room", room)
                  .put("seq", seq)
                  .put("ts", 1));
        }
        byte[] message =
            FrameEncoder.text(
                JSON.writeValueAsBytes(
                    JSON.createObjectNode()
                        .put("type", "message")
                        .put("room", room)
                        .put("seq", seq)
                        .put("from", userId)
                        .put("text", text)
                        .put("ts", 1)));
        for (Connection m : members) {
          try {
            m.write(message);
          } catch (IOException e) {
            m.closed = true;
          }
        }
      }
    }

    @Override
    public void onPing(byte[] payload) {}

    @Override
    public void onPong(byte[] payload) {}

    @Override
    public void onClose(int code, String reason) {
      closed = true;
      rooms.values().forEach(members -> members.remove(this));
      try {
        write(FrameEncoder.close(WebSocketProtocol.CLOSE_NORMAL, ""));
      } catch (IOException e) {
        // Closing anyway.
      }
    }

    private void send(ObjectNode json) throws IOException {
      write(FrameEncoder.text(JSON.writeValueAsBytes(json)));
    }

    private synchronized void write(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
    }
  }
}
