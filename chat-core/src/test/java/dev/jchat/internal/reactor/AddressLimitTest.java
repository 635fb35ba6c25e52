package dev.jchat.internal.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** The per-address connection cap counts each address apart and never loopback. */
class AddressLimitTest {
  private static InetAddress at(String literal) throws UnknownHostException {
    return InetAddress.getByName(literal); // a literal: no name lookup, no network
  }

  @Test
  void anAddressPastTheCapIsRefusedUntilOneOfItsConnectionsCloses() throws Exception {
    AddressLimit limit = new AddressLimit(2);
    InetAddress a = at("203.0.113.7");
    assertTrue(limit.tryOpen(a));
    assertTrue(limit.tryOpen(a));
    assertFalse(limit.tryOpen(a));
    assertTrue(limit.tryOpen(at("203.0.113.8")), "another address has its own count");
    limit.closed(a);
    assertTrue(limit.tryOpen(a));
  }

  @Test
  void closedAddressesAreForgotten() throws Exception {
    AddressLimit limit = new AddressLimit(5);
    InetAddress a = at("2001:db8::1");
    limit.tryOpen(a);
    limit.closed(a);
    assertEquals(0, limit.trackedAddresses());
  }

  @Test
  void loopbackIsNeitherCountedNorRefused() throws Exception {
    AddressLimit limit = new AddressLimit(1);
    for (int i = 0; i < 10; i++) {
      assertTrue(limit.tryOpen(at("127.0.0.1")));
      assertTrue(limit.tryOpen(at("::1")));
    }
    assertEquals(0, limit.trackedAddresses());
  }

  @Test
  void zeroTurnsTheCapOff() throws Exception {
    AddressLimit limit = new AddressLimit(0);
    for (int i = 0; i < 100; i++) {
      assertTrue(limit.tryOpen(at("198.51.100.1")));
    }
  }
}
