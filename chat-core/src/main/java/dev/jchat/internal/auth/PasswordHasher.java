package dev.jchat.internal.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted, slow password hashes: PBKDF2 with HMAC-SHA256, a 16-byte random salt and a 256-bit
 * result, encoded as {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} (standard Base64). The
 * encoding carries its iteration count, so the default can rise while old hashes still verify.
 * Thread-safe; called on worker threads (a hash takes tens of milliseconds by design).
 */
public final class PasswordHasher {
  private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
  private static final String PREFIX = "pbkdf2-sha256";
  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;
  // A stored hash with an absurd count would stall a worker on every login attempt.
  private static final int MAX_ITERATIONS = 10_000_000;

  private final int iterations;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param iterations PBKDF2 rounds for new hashes
   */
  public PasswordHasher(int iterations) {
    if (iterations <= 0 || iterations > MAX_ITERATIONS) {
      throw new IllegalArgumentException("iterations out of range: " + iterations);
    }
    this.iterations = iterations;
  }

  /** A new encoded hash of {@code password}, with a fresh salt. */
  public String hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] hash = pbkdf2(password, salt, iterations, HASH_BITS);
    Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
    return PREFIX
        + "$"
        + iterations
        + "$"
        + base64.encodeToString(salt)
        + "$"
        + base64.encodeToString(hash);
  }

  /**
   * Whether {@code password} matches {@code encoded}, compared in constant time. {@code false} also
   * when {@code encoded} is not an encoding this class produces.
   */
  public boolean verify(String password, String encoded) {
    String[] parts = encoded.split("\\$", -1);
    if (parts.length != 4 || !parts[0].equals(PREFIX)) {
      return false;
    }
    int rounds;
    byte[] salt;
    byte[] expected;
    try {
      rounds = Integer.parseInt(parts[1]);
      salt = Base64.getDecoder().decode(parts[2]);
      expected = Base64.getDecoder().decode(parts[3]);
    } catch (IllegalArgumentException e) { // includes NumberFormatException
      return false;
    }
    if (rounds <= 0 || rounds > MAX_ITERATIONS || salt.length == 0 || expected.length == 0) {
      return false;
    }
    byte[] actual = pbkdf2(password, salt, rounds, expected.length * 8);
    return MessageDigest.isEqual(actual, expected);
  }

  /** Whether {@code encoded} was made with other settings and should be replaced at login. */
  public boolean needsRehash(String encoded) {
    return !encoded.startsWith(PREFIX + "$" + iterations + "$");
  }

  private static byte[] pbkdf2(String password, byte[] salt, int rounds, int bits) {
    PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, rounds, bits);
    try {
      // A factory is cheap and not thread-safe, so each call gets its own.
      return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      // The JDK's own SunJCE provider has it; a runtime without it cannot hash at all.
      throw new IllegalStateException(ALGORITHM + " is not available", e);
    } finally {
      spec.clearPassword();
    }
  }
}
