package dev.jchat.internal.service;

import java.util.regex.Pattern;

/** The contract's rules for ids, passwords and texts, in one place. Stateless. */
public final class Validation {
  private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
  private static final Pattern ROOM_ID = Pattern.compile("[A-Za-z0-9_. -]{1,64}");
  static final int MIN_PASSWORD = 8;
  static final int MAX_PASSWORD = 1024;
  static final int MAX_NAME = 100;
  static final int MAX_EMAIL = 254;
  public static final int MAX_REF = 64;

  private Validation() {}

  public static boolean isUserId(String s) {
    return s != null && USER_ID.matcher(s).matches();
  }

  /** Room ids may hold spaces, but not at either end, so that "general " is not a second room. */
  public static boolean isRoomId(String s) {
    return s != null && ROOM_ID.matcher(s).matches() && s.strip().equals(s);
  }

  public static String requireUserId(String s) {
    if (!isUserId(s)) {
      throw ApiError.badRequest("userId must be 1 to 32 characters of A-Z a-z 0-9 _ . -");
    }
    return s;
  }

  public static String requireRoomId(String s) {
    if (!isRoomId(s)) {
      throw ApiError.badRequest(
          "roomId must be 1 to 64 characters of A-Z a-z 0-9 _ . - and inner spaces");
    }
    return s;
  }

  /**
   * Trims the text and checks its length in characters (code points). A lone UTF-16 surrogate
   * (which JSON can smuggle in as an escape like {@code \ud800}) is refused: it has no UTF-8 form,
   * so what was stored would differ from what was delivered.
   */
  public static String requireText(String text, int maxLength) {
    if (text == null) {
      throw ApiError.badRequest("text is required");
    }
    if (!isWellFormed(text)) {
      throw ApiError.badRequest(
          "text must be valid Unicode without NUL characters (a lone surrogate is not valid)");
    }
    String t = text.strip();
    int n = t.codePointCount(0, t.length());
    if (n == 0) {
      throw ApiError.badRequest("text must not be empty");
    }
    if (n > maxLength) {
      throw ApiError.badRequest("text is longer than " + maxLength + " characters");
    }
    return t;
  }

  public static String requireRef(String ref) {
    if (ref != null && (ref.isEmpty() || ref.length() > MAX_REF)) {
      throw ApiError.badRequest("ref must be 1 to " + MAX_REF + " characters");
    }
    if (ref != null && !isWellFormed(ref)) {
      throw ApiError.badRequest("ref must be valid Unicode");
    }
    return ref;
  }

  /** Refuses a free-text field (name, email) with a lone surrogate; null passes. */
  public static String requireWellFormed(String value, String field) {
    if (value != null && !isWellFormed(value)) {
      throw ApiError.badRequest(field + " must be valid Unicode");
    }
    return value;
  }

  /**
   * Whether every surrogate in {@code s} is part of a pair, so that it has a UTF-8 form, and it
   * holds no NUL character, which PostgreSQL's text cannot store (one store must not accept what
   * the other refuses).
   */
  static boolean isWellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\0') {
        return false;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
