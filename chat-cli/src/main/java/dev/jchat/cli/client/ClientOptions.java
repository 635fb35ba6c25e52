package dev.jchat.cli.client;

/**
 * What {@code chat client} was asked to do.
 *
 * @param host the server's host
 * @param port the server's port
 * @param user the user id to sign in as, or null to ask
 * @param password the password from {@code CHAT_PASSWORD} or {@code --password-file}, or null
 * @param room the room to join first
 */
record ClientOptions(String host, int port, String user, String password, String room) {
  @Override
  public String toString() {
    return "ClientOptions[" + host + ":" + port + ", user=" + user + ", room=" + room + "]";
  }
}
