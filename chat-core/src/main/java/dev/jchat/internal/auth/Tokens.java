package dev.jchat.internal.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Login tokens: 256 random bits, given to the client once; the server keeps only their SHA-256,
 * which is enough because a token (unlike a password) cannot be guessed. Thread-safe; no instances.
 */
public final class Tokens {
  private static final int TOKEN_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Tokens() {}

  /** A new token: 32 random bytes, base64url without padding (43 characters). */
  public static String newToken() {
    byte[] bytes = new byte[TOKEN_BYTES];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The SHA-256 of the token's UTF-8 bytes: the key the session is stored under. */
  public static byte[] hash(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      // Every Java SE runtime must provide SHA-256.
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
