package dev.jchat.internal.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
  // Small counts keep the tests fast; the product default is 120,000.
  final PasswordHasher hasher = new PasswordHasher(1_000);

  @Test
  void theRightPasswordVerifies() {
    String encoded = hasher.hash("correct horse");
    assertTrue(hasher.verify("correct horse", encoded));
  }

  @Test
  void aWrongPasswordDoesNot() {
    String encoded = hasher.hash("correct horse");
    assertFalse(hasher.verify("correct horsf", encoded));
    assertFalse(hasher.verify("", encoded));
  }

  @Test
  void theEncodingNamesAlgorithmIterationsSaltAndHash() {
    String encoded = hasher.hash("correct horse");
    // 16-byte salt and 32-byte hash in unpadded Base64
    assertTrue(
        encoded.matches("pbkdf2-sha256\\$1000\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"), encoded);
  }

  @Test
  void everyHashHasItsOwnSalt() {
    assertNotEquals(hasher.hash("same password"), hasher.hash("same password"));
  }

  @Test
  void oldHashesVerifyAfterTheIterationCountChanges() {
    String old = new PasswordHasher(500).hash("correct horse");
    assertTrue(hasher.verify("correct horse", old));
    assertTrue(hasher.needsRehash(old));
    assertFalse(hasher.needsRehash(hasher.hash("correct horse")));
  }

  @Test
  void malformedEncodingsNeverVerify() {
    String good = hasher.hash("pw");
    String[] parts = good.split("\\$");
    List<String> malformed =
        List.of(
            "",
            "plain",
            "pw",
            "bcrypt$1000$" + parts[2] + "$" + parts[3],
            "pbkdf2-sha256$abc$" + parts[2] + "$" + parts[3],
            "pbkdf2-sha256$0$" + parts[2] + "$" + parts[3],
            "pbkdf2-sha256$-5$" + parts[2] + "$" + parts[3],
            "pbkdf2-sha256$2000000000$" + parts[2] + "$" + parts[3],
            "pbkdf2-sha256$1000$not*base64$" + parts[3],
            "pbkdf2-sha256$1000$" + parts[2] + "$",
            "pbkdf2-sha256$1000$$" + parts[3],
            "pbkdf2-sha256$1000$" + parts[2],
            good + "$extra");
    for (String encoded : malformed) {
      assertFalse(hasher.verify("pw", encoded), encoded);
    }
  }

  @Test
  void iterationsMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(0));
  }
}
