package dev.jchat.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The chat page as a user sees it, found by the accessible names of docs/web.md (labels, button
 * texts, the "Rooms" navigation, the {@code log} region), with explicit waits only.
 */
final class ChatPage {
  static final Duration WAIT = Duration.ofSeconds(20);

  final ChromeDriver driver;
  private final String base;

  ChatPage(Browser browser, int port) {
    this.driver = browser.driver;
    this.base = "http://127.0.0.1:" + port + "/";
  }

  void open() {
    driver.get(base);
  }

  // ---- finding things by their accessible names ----

  /** The input labelled {@code label} (exactly). */
  WebElement input(String label) {
    WebElement l = driver.findElement(By.xpath("//label[normalize-space()='" + label + "']"));
    return driver.findElement(By.id(l.getDomAttribute("for")));
  }

  WebElement button(String name) {
    return driver.findElement(By.xpath("//button[normalize-space()='" + name + "']"));
  }

  WebElement roomsNav() {
    return driver.findElement(By.cssSelector("nav[aria-label='Rooms']"));
  }

  /** The log region's messages in order, read in one script call (one round trip). */
  List<Shown> messages() {
    @SuppressWarnings("unchecked")
    List<List<Object>> rows =
        (List<List<Object>>)
            script(
                "return [...document.querySelectorAll('[role=log] li[data-seq]')].map(li =>"
                    + " [li.dataset.seq, li.querySelector('.from').textContent,"
                    + " li.querySelector('.text').textContent])");
    return rows.stream()
        .map(
            r -> new Shown(Long.parseLong((String) r.get(0)), (String) r.get(1), (String) r.get(2)))
        .toList();
  }

  record Shown(long seq, String from, String text) {}

  long countShown(String text) {
    return messages().stream().filter(m -> m.text().equals(text)).count();
  }

  String connectionState() {
    return driver.findElement(By.tagName("body")).getDomAttribute("data-connection");
  }

  // ---- doing things ----

  void register(String userId, String password) {
    input("User id").clear();
    input("User id").sendKeys(userId);
    input("Password").clear();
    input("Password").sendKeys(password);
    button("Register").click();
    input("Repeat password").sendKeys(password);
    button("Register").click();
    awaitSignedIn(userId);
  }

  void signIn(String userId, String password) {
    input("User id").clear();
    input("User id").sendKeys(userId);
    input("Password").clear();
    input("Password").sendKeys(password);
    button("Sign in").click();
    awaitSignedIn(userId);
  }

  void awaitSignedIn(String userId) {
    await(
        d ->
            button("Sign out").isDisplayed()
                && d.findElement(By.id("me")).getText().equals(userId));
  }

  void openRoom(String roomId) {
    await(d -> !roomLinks(roomId).isEmpty());
    roomLinks(roomId).get(0).click();
    await(
        d ->
            d.findElement(By.id("room-title")).getText().equals(roomId)
                && "online".equals(connectionState()));
  }

  List<WebElement> roomLinks(String roomId) {
    return roomsNav().findElements(By.xpath(".//a[normalize-space()='" + roomId + "']"));
  }

  /** Types a message in "Message" and presses Enter. */
  void type(String text) {
    WebElement box = input("Message");
    box.sendKeys(text);
    box.sendKeys(Keys.ENTER);
  }

  /** Types lines joined by Shift+Enter, then presses Enter. */
  void typeLines(String... lines) {
    WebElement box = input("Message");
    for (int i = 0; i < lines.length; i++) {
      if (i > 0) {
        box.sendKeys(Keys.chord(Keys.SHIFT, Keys.ENTER));
      }
      box.sendKeys(lines[i]);
    }
    box.sendKeys(Keys.ENTER);
  }

  /** Sends and waits until the message is shown with its seq (acked) and nothing is pending. */
  void send(String text) {
    long before = countShown(text);
    type(text);
    await(d -> countShown(text) == before + 1 && pendingCount() == 0);
  }

  int pendingCount() {
    return driver.findElements(By.cssSelector("#pending li")).size();
  }

  void awaitShown(String text) {
    await(d -> countShown(text) >= 1);
    assertEquals(1, countShown(text), () -> "shown once: " + text);
  }

  Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  <T> T await(Function<WebDriver, T> condition) {
    return await(WAIT, condition);
  }

  <T> T await(Duration timeout, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, timeout, Duration.ofMillis(50))
        .ignoring(StaleElementReferenceException.class)
        .until(condition::apply);
  }

  /** Browser console lines since the last call, like "SEVERE ...". */
  List<String> consoleLines() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .map(e -> e.getLevel() + " " + e.getMessage())
        .toList();
  }

  /** Saves a PNG of the window under {@code target/web/}. */
  Path screenshot(String name) {
    Path file = Path.of("target", "web", name + ".png");
    try {
      Files.createDirectories(file.getParent());
      Files.copy(
          driver.getScreenshotAs(OutputType.FILE).toPath(),
          file,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}
