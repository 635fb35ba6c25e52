package dev.jchat.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jchat.ChatClient;
import dev.jchat.ChatListener;
import dev.jchat.ChatMessage;
import dev.jchat.ChatRoom;
import dev.jchat.ChatServer;
import dev.jchat.ChatSocket;
import dev.jchat.testing.ChatServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;

/**
 * The browser client in a real headless Chromium against a real server (port 0, a temporary SQLite
 * file). Two browsers serve every scenario: alice registers in one, bob signs in in the other, and
 * carol talks from Java ({@link ChatClient}). The restart runs last, since it replaces the server.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class WebBrowserTest {
  static final String ALICE_PASSWORD = "alice-password";
  static final String BOB_PASSWORD = "bob-password";
  static final String CAROL_PASSWORD = "carol-password";

  @TempDir static Path dir;
  static Path database;
  static ChatServer server;
  static Browser aliceBrowser;
  static Browser bobBrowser;
  static ChatPage alice;
  static ChatPage bob;
  static ChatClient carol;
  static ChatSocket carolSocket;
  static final Inbox carolInbox = new Inbox();

  @BeforeAll
  static void start() {
    database = dir.resolve("chat.db");
    server = ChatServerExtension.start(database, WebBrowserTest::withVeto);
    client().register("bob", BOB_PASSWORD, null, null);
    carol = client();
    carol.register("carol", CAROL_PASSWORD, "Carol", null);
    carol.login("carol", CAROL_PASSWORD);
    carolSocket = carol.connect(carolInbox);
    carolSocket.join("general").join();

    aliceBrowser = Browser.start(1100, 760);
    alice = new ChatPage(aliceBrowser, server.port());
    alice.open();
    alice.register("alice", ALICE_PASSWORD);

    bobBrowser = Browser.start(1100, 760);
    bob = new ChatPage(bobBrowser, server.port());
    bob.open();
    bob.signIn("bob", BOB_PASSWORD);
  }

  @AfterAll
  static void stop() {
    // each in its own finally, so one failure does not leave a Chromium behind
    try {
      if (carolSocket != null) {
        carolSocket.close();
      }
    } finally {
      try {
        if (aliceBrowser != null) {
          aliceBrowser.close();
        }
      } finally {
        try {
          if (bobBrowser != null) {
            bobBrowser.close();
          }
        } finally {
          if (server != null) {
            server.close();
          }
        }
      }
    }
  }

  @AfterEach
  void thePageKeptToItsContentSecurityPolicy() {
    for (ChatPage page : List.of(alice, bob)) {
      for (String line : page.consoleLines()) {
        assertFalse(line.contains("Content Security Policy"), line);
        assertFalse(line.contains("Uncaught"), line);
      }
    }
  }

  /** The test server's moderator refuses messages that say "veto me". */
  /** The page's server: no message rate limit (the tests post bursts), and a moderator. */
  static ChatServer.Builder withVeto(ChatServer.Builder b) {
    return b.rateLimit(0)
        .listener(
            new ChatListener() {
              @Override
              public String beforeMessage(String room, String user, String text) {
                return text.contains("veto me") ? "vetoed by the moderator" : null;
              }
            });
  }

  static ChatClient client() {
    return ChatClient.builder().host("127.0.0.1").port(server.port()).build();
  }

  @Test
  @Order(1)
  void twoBrowsersChatBothWaysAndAJavaClientSeesTheSameSeqs() throws Exception {
    alice.openRoom("general");
    bob.openRoom("general");

    List<String> conversation = new ArrayList<>();
    alice.send("Morning! Is the release still on for today?");
    conversation.add("Morning! Is the release still on for today?");
    bob.awaitShown(conversation.get(0));
    bob.send("Yes, once the browser tests pass.");
    conversation.add("Yes, once the browser tests pass.");
    alice.awaitShown(conversation.get(1));
    String fromJava = "They run in a real Chromium now.";
    carolSocket.send("general", fromJava).join();
    conversation.add(fromJava);
    String twoLines = "Nice. Shift+Enter makes\na second line.";
    alice.typeLines("Nice. Shift+Enter makes", "a second line.");
    alice.await(d -> alice.countShown(twoLines) == 1 && alice.pendingCount() == 0);
    conversation.add(twoLines);
    bob.send("Shipping it \u2713");
    conversation.add("Shipping it \u2713");

    Map<String, ChatMessage> seen = new java.util.HashMap<>();
    for (String text : conversation) {
      seen.put(text, carolInbox.awaitText(text));
    }
    for (ChatPage page : List.of(alice, bob)) {
      for (String text : conversation) {
        page.awaitShown(text);
      }
      Map<String, ChatPage.Shown> shown =
          page.messages().stream()
              .collect(Collectors.toMap(ChatPage.Shown::text, Function.identity(), (x, y) -> x));
      for (String text : conversation) {
        assertEquals(seen.get(text).seq(), shown.get(text).seq(), text);
        assertEquals(seen.get(text).from(), shown.get(text).from(), text);
      }
    }
    Path shot = alice.screenshot("conversation");
    assertTrue(Files.size(shot) > 10_000, "a real picture: " + shot);
  }

  @Test
  @Order(2)
  void aPrivateRoomIsInvisibleToANonMembersBrowser() {
    createRoom(alice, "plans", true, "carol");
    alice.send("Only carol and I can read this.");
    createRoom(alice, "lobby", false, "");
    WebElement plansEntry =
        alice.roomLinks("plans").get(0).findElement(By.xpath("./ancestor::li[1]"));
    assertTrue(
        plansEntry.getText().contains("private")
            || !plansEntry.findElements(By.cssSelector(".lock")).isEmpty());

    bob.driver.navigate().refresh(); // the session survives a reload; the list is fetched anew
    bob.awaitSignedIn("bob");
    bob.await(d -> !bob.roomLinks("lobby").isEmpty());
    assertTrue(bob.roomLinks("plans").isEmpty(), "bob does not see alice's private room");

    ChatRoom plans =
        carol.rooms().stream().filter(r -> r.roomId().equals("plans")).findFirst().orElseThrow();
    assertTrue(plans.isPrivate());
  }

  @Test
  @Order(3)
  void scrollingUpLoadsOlderHistoryWithoutDuplicates() {
    carol.createRoom("archive", null, false, List.of());
    int total = 130;
    for (int i = 1; i <= total; i++) {
      server.post("archive", "carol", "old message " + i).join();
    }

    bob.driver.navigate().refresh();
    bob.awaitSignedIn("bob");
    bob.openRoom("archive");
    bob.await(d -> bob.messages().stream().anyMatch(m -> m.seq() == total));
    assertTrue(bob.messages().size() < total, "not everything at once");
    bob.await(
        Duration.ofSeconds(30),
        d -> {
          bob.script("document.getElementById('scroller').scrollTop = 0");
          return bob.messages().stream().anyMatch(m -> m.seq() == 1);
        });
    List<ChatPage.Shown> shown = bob.messages();
    assertEquals(
        LongStream.rangeClosed(1, total).boxed().toList(),
        shown.stream().map(ChatPage.Shown::seq).toList(),
        "every message once, in order");
    for (ChatPage.Shown m : shown) {
      assertEquals("old message " + m.seq(), m.text());
    }
    assertTrue(bob.driver.findElement(By.id("history-start")).isDisplayed());
  }

  @Test
  @Order(4)
  void markupInAMessageIsShownAsTextAndRunsNothing() {
    alice.openRoom("general");
    bob.openRoom("general");
    String image = "<img src=x onerror=alert(1)>";
    alice.send(image);
    String script = "<script>window.pwned = 1</script><b>bold?</b>";
    carolSocket.send("general", script).join();
    for (ChatPage page : List.of(alice, bob)) {
      page.awaitShown(image);
      page.awaitShown(script);
      assertEquals(
          0,
          page.driver
              .findElements(By.cssSelector("#messages img, #messages script, #messages b"))
              .size());
      assertEquals(Boolean.TRUE, page.script("return window.pwned === undefined"));
      assertThrows(NoAlertPresentException.class, () -> page.driver.switchTo().alert());
    }
  }

  @Test
  @Order(8)
  void aRefusedMessageIsMarkedAndOffersRetryOrDiscard() {
    alice.openRoom("general");
    alice.type("please veto me");
    alice.await(
        d ->
            d.findElement(By.cssSelector("#pending li.failed"))
                .getText()
                .contains("Not sent: vetoed by the moderator"));
    WebElement retry = alice.button("Retry");
    assertEquals("button", retry.getAriaRole());
    retry.click();
    alice.await(d -> d.findElement(By.cssSelector("#pending li.failed")).isDisplayed());
    assertEquals(0, alice.countShown("please veto me"), "never in the log");
    assertEquals(0, bob.countShown("please veto me"));
    alice.button("Discard").click();
    alice.await(d -> alice.pendingCount() == 0);
  }

  @Test
  @Order(5)
  void theControlsHaveTheDocumentedAccessibleNames() {
    bob.openRoom("general");
    assertName(bob.driver.findElement(By.id("message")), "textbox", "Message");
    assertName(bob.button("Send"), "button", "Send");
    assertName(bob.button("Create room"), "button", "Create room");
    assertName(bob.button("Sign out"), "button", "Sign out");
    assertName(bob.roomsNav(), "navigation", "Rooms");
    for (WebElement link : bob.roomsNav().findElements(By.tagName("a"))) {
      assertEquals(link.getDomAttribute("data-room"), link.getAccessibleName());
    }
    assertEquals("log", bob.driver.findElement(By.id("messages")).getAriaRole());
  }

  @Test
  @Order(6)
  void signOutAndBackInWithClearErrors() {
    bob.button("Sign out").click();
    bob.await(d -> bob.input("User id").isDisplayed());
    assertName(bob.input("User id"), "textbox", "User id");
    assertName(bob.input("Password"), "textbox", "Password");
    assertName(bob.button("Sign in"), "button", "Sign in");
    assertName(bob.button("Register"), "button", "Register");

    bob.input("User id").sendKeys("bob");
    bob.input("Password").sendKeys("not the password");
    bob.button("Sign in").click();
    bob.await(
        d ->
            bob.driver
                .findElement(By.id("auth-error"))
                .getText()
                .equals("Wrong user id or password."));

    bob.button("Register").click(); // registering asks for the password twice
    assertName(bob.input("Repeat password"), "textbox", "Repeat password");
    bob.input("Repeat password").sendKeys("something else");
    bob.button("Register").click();
    bob.await(
        d ->
            bob.driver
                .findElement(By.id("auth-error"))
                .getText()
                .equals("The passwords do not match."));

    bob.signIn("bob", BOB_PASSWORD);
    bob.openRoom("general");
    bob.send("Back after signing out and in.");
    List<String> rooms =
        bob.roomsNav().findElements(By.tagName("a")).stream().map(WebElement::getText).toList();
    assertEquals(rooms.stream().distinct().toList(), rooms, "each room listed once");
    assertEquals(1, bob.driver.findElements(By.cssSelector("#scroller")).size());
  }

  @Test
  @Order(7)
  void theLayoutWorksAt375PixelsWide() {
    Dimension before = bob.driver.manage().window().getSize();
    try {
      bob.driver.manage().window().setSize(new Dimension(375, 740));
      bob.await(d -> ((Number) bob.script("return window.innerWidth")).intValue() <= 375);
      assertEquals(
          Boolean.TRUE,
          bob.script("return document.documentElement.scrollWidth <= window.innerWidth"),
          "no sideways scrolling");
      for (WebElement e :
          List.of(
              bob.input("Message"), bob.button("Send"), bob.roomsNav(), bob.button("Sign out"))) {
        assertTrue(e.isDisplayed());
        assertTrue(e.getRect().getX() + e.getRect().getWidth() <= 375, e.getRect().toString());
      }
      bob.send("Sent from a phone-sized window.");
      bob.screenshot("narrow");
    } finally {
      bob.driver.manage().window().setSize(before);
    }
  }

  @Test
  @Order(9)
  void membershipChangesUpdateTheRoomListAtOnce() {
    carol.createRoom("secret-club", null, true, List.of("bob"));
    bob.await(d -> !bob.roomLinks("secret-club").isEmpty()); // no reload
    bob.await(
        d ->
            d.findElement(By.id("chat-alert"))
                .getText()
                .contains("carol added you to secret-club"));
    bob.openRoom("secret-club");
    carol.removeMember("secret-club", "bob");
    bob.await(d -> bob.roomLinks("secret-club").isEmpty());
    bob.await(
        d ->
            d.findElement(By.id("chat-alert"))
                .getText()
                .contains("You were removed from secret-club"));
  }

  @Test
  @Order(100)
  void theServerRestartsMidConversationAndThePageCatchesUpExactlyOnce() {
    alice.openRoom("general");
    bob.openRoom("general");
    alice.send("Restarting the server now.");
    int port = server.port();
    server.close();
    for (ChatPage page : List.of(alice, bob)) {
      page.await(d -> "offline".equals(page.connectionState()));
      page.await(d -> page.driver.findElement(By.id("banner")).getText().startsWith("Offline"));
    }
    String typedOffline = "Typed while the server was down.";
    alice.type(typedOffline);
    alice.await(d -> alice.pendingCount() == 1);

    // messages sent while the pages are offline: by a server on another port, same database
    try (ChatServer meanwhile = ChatServerExtension.start(database, b -> b.rateLimit(0))) {
      for (int i = 1; i <= 3; i++) {
        meanwhile.post("general", "carol", "meanwhile " + i).join();
      }
    }
    server = ChatServerExtension.start(database, b -> withVeto(b.port(port)));

    for (ChatPage page : List.of(alice, bob)) {
      page.await(Duration.ofSeconds(40), d -> "online".equals(page.connectionState()));
      page.await(d -> page.countShown(typedOffline) == 1 && page.pendingCount() == 0);
      for (int i = 1; i <= 3; i++) {
        page.awaitShown("meanwhile " + i);
      }
      List<Long> seqs = page.messages().stream().map(ChatPage.Shown::seq).toList();
      for (int i = 1; i < seqs.size(); i++) {
        assertTrue(seqs.get(i) > seqs.get(i - 1), "ascending, each once: " + seqs);
      }
    }
    ChatClient check = client();
    check.login("carol", CAROL_PASSWORD);
    long stored =
        check.messages("general", 0, 0, 200).stream()
            .filter(m -> m.text().equals(typedOffline))
            .count();
    assertEquals(1, stored, "the message typed offline is stored once");
    alice.send("And we are back.");
    bob.awaitShown("And we are back.");
  }

  private static void createRoom(ChatPage page, String roomId, boolean isPrivate, String members) {
    page.input("Room id").clear();
    page.input("Room id").sendKeys(roomId);
    WebElement box = page.input("Private");
    if (box.isSelected() != isPrivate) {
      box.click();
    }
    page.input("Members").clear();
    page.input("Members").sendKeys(members);
    page.button("Create room").click();
    page.await(
        d ->
            d.findElement(By.id("room-title")).getText().equals(roomId)
                && !page.roomLinks(roomId).isEmpty()
                && "online".equals(page.connectionState()));
    page.await(d -> d.findElement(By.id("history-start")).isDisplayed());
  }

  private static void assertName(WebElement e, String role, String name) {
    assertEquals(role, e.getAriaRole());
    assertEquals(name, e.getAccessibleName());
  }
}
