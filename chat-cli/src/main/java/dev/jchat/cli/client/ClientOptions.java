package dev.jchat.cli.client;

import dev.jchat.ChatClient;
import java.util.List;

/**
 * What {@code chat client} was asked to do.
 *
 * @param servers the servers, each {@code host} or {@code host:port}, tried in this order
 * @param port the port of a server given without one
 * @param user the user id to sign in as, or null to ask
 * @param password the password from {@code CHAT_PASSWORD} or {@code --password-file}, or null
 * @param room the room to join first
 */
record ClientOptions(List<String> servers, int port, String user, String password, String room) {
  ClientOptions {
    servers = List.copyOf(servers);
  }

  /** One server, {@code host} on {@code port}. */
  ClientOptions(String host, int port, String user, String password, String room) {
    this(List.of(host), port, user, password, room);
  }

  /** A client of these servers. */
  ChatClient client() {
    return ChatClient.builder().servers(servers).port(port).build();
  }

  @Override
  public String toString() {
    return "ClientOptions[" + servers + ":" + port + ", user=" + user + ", room=" + room + "]";
  }
}
