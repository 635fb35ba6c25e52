package dev.jchat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jchat.internal.client.RestCalls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the client does without a server; the rest is tested against a real one. */
class ChatClientTest {

  @Test
  void aServerThatIsNotRunningIsUnavailableAndTheAddressIsNamed() throws IOException {
    int port = freePort();
    ChatClient client =
        ChatClient.builder().host("127.0.0.1").port(port).timeout(Duration.ofSeconds(5)).build();
    ChatException e = assertThrows(ChatException.class, () -> client.login("alice", "password1"));
    assertEquals("unavailable", e.code());
    assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
    assertEquals("unavailable", assertThrows(ChatException.class, client::health).code());
  }

  @Test
  void theSocketOfAServerThatIsNotRunningIsUnavailableToo() throws IOException {
    int port = freePort();
    ChatClient client = ChatClient.builder().host("127.0.0.1").port(port).build();
    client.useSession(new ChatClient.Session("token", "alice", null));
    ChatException e =
        assertThrows(ChatException.class, () -> client.connect(new ChatSocket.Listener() {}));
    assertEquals("unavailable", e.code());
    assertTrue(e.getMessage().contains("ws://127.0.0.1:" + port + "/ws"), e.getMessage());
  }

  @Test
  void connectingNeedsASession() {
    ChatClient client = ChatClient.builder().build();
    assertThrows(IllegalStateException.class, () -> client.connect(new ChatSocket.Listener() {}));
  }

  @Test
  void theAddressIsBuiltFromHostAndPort() {
    assertEquals("http://localhost:5200", ChatClient.builder().build().address().toString());
    assertEquals(
        "http://[::1]:5300",
        ChatClient.builder().host("::1").port(5300).build().address().toString());
  }

  @Test
  void severalServersAreGivenAsHostPortAndTheFirstIsCurrent() {
    ChatClient client =
        ChatClient.builder()
            .servers(List.of("a.example:5201", "b.example", "[::1]:5203", "::2"))
            .port(5300)
            .build();
    assertEquals(
        List.of(
            URI.create("http://a.example:5201"),
            URI.create("http://b.example:5300"),
            URI.create("http://[::1]:5203"),
            URI.create("http://[::2]:5300")),
        client.addresses());
    assertEquals(URI.create("http://a.example:5201"), client.address());
    assertEquals(
        List.of(URI.create("http://localhost:5200")), ChatClient.builder().build().addresses());
  }

  @Test
  void aMalformedServerListIsRefusedByTheBuilder() {
    for (List<String> bad :
        List.of(
            List.<String>of(), List.of("a:0"), List.of("a:x"), List.of(":5200"), List.of("[::1"))) {
      assertThrows(
          IllegalArgumentException.class, () -> ChatClient.builder().servers(bad), bad::toString);
    }
    var both = ChatClient.builder().host("a").servers(List.of("b:1"));
    assertThrows(IllegalStateException.class, both::build);
  }

  @Test
  void withEveryServerDownACallNamesThemAll() throws IOException {
    int one = freePort();
    int two = freePort();
    ChatClient client =
        ChatClient.builder().servers(List.of("127.0.0.1:" + one, "127.0.0.1:" + two)).build();
    ChatException e = assertThrows(ChatException.class, client::health);
    assertEquals("unavailable", e.code());
    assertTrue(
        e.getMessage()
            .contains("any of http://127.0.0.1:" + one + ", http://127.0.0.1:" + two + ": "),
        e.getMessage());
    client.useSession(new ChatClient.Session("token", "alice", null));
    ChatException socket =
        assertThrows(ChatException.class, () -> client.connect(new ChatSocket.Listener() {}));
    assertEquals("unavailable", socket.code());
  }

  @Test
  void roomIdsWithSpacesArePercentEncodedInPaths() {
    assertEquals("Room%201", RestCalls.segment("Room 1"));
  }

  @Test
  void theSessionTokenStaysOutOfItsText() {
    assertTrue(!new ChatClient.Session("s3cret", "alice", null).toString().contains("s3cret"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
