package dev.jchat.internal.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Header fields in the order they were added; names compare case-insensitively (they are ASCII
 * tokens). Stored as one flat array of names and values, since a request carries a handful of
 * fields and a map per request would cost more than scanning them.
 *
 * <p>Not thread-safe. The parser fills a request's headers on the event loop and never touches them
 * again, so a parsed request may be handed to another thread through a queue.
 */
public final class HttpHeaders {
  private String[] namesAndValues = new String[16];
  private int size;

  public HttpHeaders() {}

  /**
   * Headers from alternating names and values, e.g. {@code of("Content-Type", "application/json")}.
   */
  public static HttpHeaders of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("Expected name and value pairs.");
    }
    HttpHeaders headers = new HttpHeaders();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }

  /**
   * Appends a field, keeping any earlier ones of the same name.
   *
   * @throws IllegalArgumentException if the name is not a token or the value holds a control
   *     character (CR and LF included, so a value cannot split a response) or a character outside
   *     ISO-8859-1
   */
  public void add(String name, String value) {
    if (!HttpChars.isToken(name)) {
      throw new IllegalArgumentException("Header name is not a token: \"" + name + "\".");
    }
    if (!HttpChars.isFieldValue(value)) {
      throw new IllegalArgumentException("Header value of " + name + " has a forbidden character.");
    }
    if (2 * size == namesAndValues.length) {
      namesAndValues = Arrays.copyOf(namesAndValues, 4 * size);
    }
    namesAndValues[2 * size] = name;
    namesAndValues[2 * size + 1] = value;
    size++;
  }

  /** The first value of the named field, or {@code null} when there is none. */
  public String get(String name) {
    for (int i = 0; i < size; i++) {
      if (name(i).equalsIgnoreCase(name)) {
        return value(i);
      }
    }
    return null;
  }

  /** Every value of the named field in order; empty when there is none. */
  public List<String> all(String name) {
    List<String> values = new ArrayList<>(2);
    for (int i = 0; i < size; i++) {
      if (name(i).equalsIgnoreCase(name)) {
        values.add(value(i));
      }
    }
    return values;
  }

  public boolean contains(String name) {
    return get(name) != null;
  }

  /**
   * Whether any value of the named field, read as a comma-separated list, has an element equal to
   * {@code token} ignoring case: {@code containsToken("Connection", "upgrade")} is true for {@code
   * Connection: keep-alive, Upgrade}.
   */
  public boolean containsToken(String name, String token) {
    for (int i = 0; i < size; i++) {
      if (name(i).equalsIgnoreCase(name) && listContains(value(i), token)) {
        return true;
      }
    }
    return false;
  }

  /** The number of fields, counting repeated names once per field. */
  public int size() {
    return size;
  }

  /** The name of field {@code index} (0 to {@code size() - 1}), as it was added. */
  public String name(int index) {
    return namesAndValues[2 * checkIndex(index)];
  }

  /** The value of field {@code index} (0 to {@code size() - 1}). */
  public String value(int index) {
    return namesAndValues[2 * checkIndex(index) + 1];
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < size; i++) {
      s.append(name(i)).append(": ").append(value(i)).append('\n');
    }
    return s.toString();
  }

  private int checkIndex(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException(index);
    }
    return index;
  }

  private static boolean listContains(String list, String token) {
    for (String element : elements(list)) {
      if (element.equalsIgnoreCase(token)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The elements of a comma-separated field value (RFC 9110 section 5.6.1), without their optional
   * whitespace; empty elements are dropped, as the list syntax allows them.
   */
  static List<String> elements(String list) {
    List<String> elements = new ArrayList<>(2);
    int start = 0;
    while (start <= list.length()) {
      int comma = list.indexOf(',', start);
      int end = comma < 0 ? list.length() : comma;
      int from = start;
      while (from < end && HttpChars.isOws(list.charAt(from))) {
        from++;
      }
      int to = end;
      while (to > from && HttpChars.isOws(list.charAt(to - 1))) {
        to--;
      }
      if (to > from) {
        elements.add(list.substring(from, to));
      }
      start = end + 1;
    }
    return elements;
  }
}
