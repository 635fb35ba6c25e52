package dev.jchat.internal.client;

/**
 * Joins the parts of a text message that {@code java.net.http} delivers in pieces ({@code last ==
 * false}), up to a bound. Used by one socket's listener, one call at a time.
 */
public final class TextReassembler {
  private final int maxChars;
  private final StringBuilder parts = new StringBuilder();

  public TextReassembler(int maxChars) {
    this.maxChars = maxChars;
  }

  /**
   * Adds a part.
   *
   * @return the whole message when {@code last}, otherwise null
   * @throws TooLongException when the message grows past the bound (the parts are dropped)
   */
  public String append(CharSequence part, boolean last) {
    if (parts.length() + part.length() > maxChars) {
      parts.setLength(0);
      throw new TooLongException(
          "a message from the server is longer than " + maxChars + " characters");
    }
    if (last && parts.length() == 0) {
      return part.toString();
    }
    parts.append(part);
    if (!last) {
      return null;
    }
    String whole = parts.toString();
    parts.setLength(0);
    return whole;
  }

  /** A message past the bound; the socket closes with 1009. */
  public static final class TooLongException extends RuntimeException {
    TooLongException(String message) {
      super(message);
    }
  }
}
