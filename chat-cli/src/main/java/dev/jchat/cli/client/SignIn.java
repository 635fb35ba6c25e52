package dev.jchat.cli.client;

import dev.jchat.ChatClient;
import dev.jchat.ChatException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The sign-in dialogue: log in or register, until it works or the user quits. A wrong password, a
 * taken user id or a server that is not running each get one clear line and another chance. Runs on
 * the console thread.
 */
final class SignIn {
  private final ChatClient client;
  private final Prompter prompter;

  SignIn(ChatClient client, Prompter prompter) {
    this.client = client;
    this.prompter = prompter;
  }

  /** What the dialogue asks through: the terminal, or a script in tests. */
  interface Prompter {
    /** Reads a line; null when the user quits (Ctrl-D, Ctrl-C, end of input). */
    String line(String prompt);

    /** Reads a line without showing what is typed; null when the user quits. */
    String secret(String prompt);

    /** Shows a line. */
    void say(String text);
  }

  /** Who signed in, kept to sign in again when the server refuses the session later. */
  record Credentials(String userId, String password) {
    @Override
    public String toString() {
      return "Credentials[userId=" + userId + "]";
    }
  }

  /**
   * Runs the dialogue.
   *
   * @param presetUser a user id to log in as first ({@code --user}), or null to ask
   * @param presetPassword a password to try first, or null to ask
   * @return who signed in, or null when the user quit
   */
  Credentials run(String presetUser, String presetPassword) {
    String user = presetUser;
    String password = presetPassword;
    try {
      while (true) {
        awaitServer();
        Credentials signedIn = user != null ? login(user, password) : choose();
        if (signedIn != null) {
          return signedIn;
        }
        user = null; // a preset is tried once; then the user chooses
        password = null;
      }
    } catch (Quit quit) {
      return null;
    }
  }

  /**
   * The line for a server that cannot be reached: the address tried, and what to run. With several
   * servers, it names them all: each was tried.
   */
  static String unreachable(ChatClient client, ChatException e) {
    String message = e.getMessage();
    int colon = message.lastIndexOf(": ");
    String reason = colon < 0 ? "" : " (" + message.substring(colon + 2) + ")";
    if (client.addresses().size() > 1) {
      List<String> names = new ArrayList<>();
      for (var address : client.addresses()) {
        names.add(address.getAuthority());
      }
      return "Cannot reach any of the chat servers " + String.join(", ", names) + reason + ".";
    }
    var address = client.address();
    return "Cannot reach the chat server at "
        + address.getHost()
        + ":"
        + address.getPort()
        + reason
        + ". Is `chat server "
        + address.getPort()
        + "` running there?";
  }

  private Credentials choose() {
    String choice = ask("Log in or register? [L/r] ").strip().toLowerCase(Locale.ROOT);
    if (choice.isEmpty() || choice.startsWith("l")) {
      return login(null, null);
    }
    if (choice.startsWith("r")) {
      return register();
    }
    prompter.say("Type l to log in or r to register.");
    return null;
  }

  private Credentials login(String presetUser, String presetPassword) {
    String user = presetUser != null ? presetUser : ask("user id: ").strip();
    if (user.isEmpty()) {
      return null;
    }
    String password =
        presetPassword != null ? presetPassword : secret("password for " + user + ": ");
    try {
      client.login(user, password);
      prompter.say("Signed in as " + user + ".");
      return new Credentials(user, password);
    } catch (ChatException e) {
      prompter.say(e.code().equals("unauthorized") ? "Wrong user id or password." : problem(e));
      return null;
    }
  }

  private Credentials register() {
    String user = ask("choose a user id (letters, digits, _ . -): ").strip();
    if (user.isEmpty()) {
      return null;
    }
    String name = ask("your name [" + user + "]: ").strip();
    String email = ask("email (optional): ").strip();
    String password = newPassword();
    try {
      client.register(user, password, name.isEmpty() ? user : name, email.isEmpty() ? null : email);
    } catch (ChatException e) {
      prompter.say(
          e.code().equals("conflict")
              ? "The user id '" + user + "' is taken; choose another."
              : problem(e));
      return null;
    }
    prompter.say("Registered " + user + ".");
    return login(user, password);
  }

  private String newPassword() {
    while (true) {
      String password = secret("choose a password (8 characters or more): ");
      if (password.length() < 8) {
        prompter.say("A password needs 8 characters or more.");
      } else if (!password.equals(secret("repeat the password: "))) {
        prompter.say("The two passwords differ.");
      } else {
        return password;
      }
    }
  }

  private void awaitServer() {
    while (true) {
      try {
        client.health();
        return;
      } catch (ChatException e) {
        if (!e.code().equals("unavailable")) {
          return; // it answers: let the calls say what is wrong
        }
        prompter.say(unreachable(client, e));
        ask("Press Enter to try again, Ctrl-D to quit. ");
      }
    }
  }

  private String problem(ChatException e) {
    return e.code().equals("unavailable") ? unreachable(client, e) : e.getMessage();
  }

  private String ask(String prompt) {
    String line = prompter.line(prompt);
    if (line == null) {
      throw new Quit();
    }
    return line;
  }

  private String secret(String prompt) {
    String line = prompter.secret(prompt);
    if (line == null) {
      throw new Quit();
    }
    return line;
  }

  /** The user quit in the middle of the dialogue. */
  private static final class Quit extends RuntimeException {
    Quit() {
      super(null, null, false, false);
    }
  }
}
