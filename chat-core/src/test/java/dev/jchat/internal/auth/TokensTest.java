package dev.jchat.internal.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokensTest {

  @Test
  void aTokenIs32RandomBytesInUnpaddedBase64Url() {
    String token = Tokens.newToken();
    assertEquals(43, token.length());
    assertTrue(token.matches("[A-Za-z0-9_-]{43}"), token);
    assertEquals(32, Base64.getUrlDecoder().decode(token).length);
  }

  @Test
  void tokensDoNotRepeat() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      assertTrue(seen.add(Tokens.newToken()));
    }
  }

  @Test
  void theHashIsTheSha256OfTheUtf8Token() {
    // FIPS 180-2 test vector for "abc"
    assertEquals(
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        HexFormat.of().formatHex(Tokens.hash("abc")));
    assertEquals(32, Tokens.hash("é").length);
  }

  @Test
  void theHashIsStablePerTokenAndDiffersBetweenTokens() {
    String token = Tokens.newToken();
    assertArrayEquals(Tokens.hash(token), Tokens.hash(token));
    assertFalse(Arrays.equals(Tokens.hash(token), Tokens.hash(Tokens.newToken())));
  }
}
