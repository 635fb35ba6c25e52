package dev.jchat.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServersTest {
  private static final URI A = URI.create("http://a:1");
  private static final URI B = URI.create("http://b:2");
  private static final URI C = URI.create("http://c:3");

  @Test
  void callsStartAtTheCurrentServerAndGoOnRoundTheList() {
    Servers servers = new Servers(List.of(A, B, C));
    assertEquals(List.of(A, B, C), servers.attemptOrder());
    servers.failed(A);
    assertEquals(B, servers.current());
    assertEquals(List.of(B, C, A), servers.attemptOrder());
    servers.served(A);
    assertEquals(A, servers.current());
  }

  @Test
  void aFailureOfAServerThatIsNoLongerCurrentMovesNothing() {
    Servers servers = new Servers(List.of(A, B, C));
    servers.failed(A);
    servers.failed(A); // a second socket of the same broken server
    assertEquals(B, servers.current());
    servers.failed(C);
    assertEquals(B, servers.current());
    servers.failed(B);
    servers.failed(C);
    assertEquals(A, servers.current(), "past the last comes the first");
  }

  @Test
  void addressesParseWithTheirDefaults() {
    assertEquals(URI.create("http://h:5200"), Servers.parse(" h ", 5200));
    assertEquals(URI.create("http://h:1"), Servers.parse("h:1", 5200));
    assertEquals(URI.create("http://[::1]:7"), Servers.parse("[::1]:7", 5200));
    assertEquals(URI.create("http://[::1]:5200"), Servers.parse("[::1]", 5200));
    assertEquals(URI.create("http://[fe80::2]:5200"), Servers.parse("fe80::2", 5200));
    for (String bad : List.of("", ":1", "h:", "h:0", "h:65536", "h:x", "[::1", "[::1]x", "[]:1")) {
      assertThrows(IllegalArgumentException.class, () -> Servers.parse(bad, 5200), bad);
    }
  }

  @Test
  void messagesNameOneServerOrAll() {
    assertEquals("http://a:1", new Servers(List.of(A)).anyOf());
    assertEquals("any of http://a:1, http://b:2", new Servers(List.of(A, B)).anyOf());
  }
}
