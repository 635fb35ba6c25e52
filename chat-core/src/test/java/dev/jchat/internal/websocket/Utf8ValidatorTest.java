package dev.jchat.internal.websocket;

import static dev.jchat.internal.websocket.Frames.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class Utf8ValidatorTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "00 41 7f", // U+0000, "A", U+007F
        "c2 80  df bf", // U+0080, U+07FF
        "e0 a0 80  ed 9f bf  ee 80 80  ef bf bf", // U+0800, U+D7FF, U+E000, U+FFFF
        "f0 90 80 80  f4 8f bf bf", // U+10000, U+10FFFF
        "48 c3 a9 e2 82 ac f0 9d 84 9e 21", // "Hé€𝄞!"
      })
  void acceptsWellFormedTextCutAnywhere(String hex) {
    byte[] bytes = hex(hex);
    assertTrue(Utf8Validator.isValid(bytes, 0, bytes.length));
    for (int split = 0; split <= bytes.length; split++) {
      Utf8Validator validator = new Utf8Validator();
      assertTrue(validator.feed(bytes, 0, split));
      assertTrue(validator.feed(bytes, split, bytes.length - split));
      assertTrue(validator.complete(), "split at " + split);
    }
    Utf8Validator validator = new Utf8Validator();
    for (int i = 0; i < bytes.length; i++) {
      assertTrue(validator.feed(bytes, i, 1));
    }
    assertTrue(validator.complete());
  }

  /** Each sample marks its first bad byte with "|": the validator must accept all before it. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "|80",
        "41 |bf", // a continuation byte with nothing to continue
        "|c0 80",
        "|c1 bf", // overlong two-byte forms: C0 and C1 start nothing
        "e0 |80 80",
        "e0 |9f bf", // overlong three-byte forms
        "f0 |80 80 80",
        "f0 |8f bf bf", // overlong four-byte forms
        "ed |a0 80",
        "ed |bf bf", // surrogates U+D800 and U+DFFF
        "f4 |90 80 80",
        "|f5 80 80 80",
        "|f7 bf bf bf", // above U+10FFFF
        "|f8",
        "|fe",
        "|ff", // lead bytes of nothing
        "c2 |41",
        "e2 82 |41",
        "f0 9d 84 |41", // a sequence broken off by ASCII
        "e2 82 ac 41 42 43 44 45 46 47 48 |80", // a stray continuation after the ASCII fast path
      })
  void rejectsIllFormedSequencesAtTheirFirstBadByte(String sample) {
    int expectedAccepted = hex(sample.substring(0, sample.indexOf('|'))).length;
    byte[] bytes = hex(sample.replace("|", ""));
    assertFalse(Utf8Validator.isValid(bytes, 0, bytes.length));
    Utf8Validator validator = new Utf8Validator();
    int accepted = 0;
    while (accepted < bytes.length && validator.feed(bytes, accepted, 1)) {
      accepted++;
    }
    assertEquals(expectedAccepted, accepted, "bytes accepted before the bad one");
    assertFalse(new Utf8Validator().feed(bytes, 0, bytes.length));
  }

  @Test
  void incompleteSequenceIsNotComplete() {
    byte[] euroStart = hex("e2 82");
    Utf8Validator validator = new Utf8Validator();
    assertTrue(validator.feed(euroStart, 0, 2));
    assertFalse(validator.complete());
    assertFalse(Utf8Validator.isValid(euroStart, 0, 2));
    assertTrue(validator.feed(hex("ac"), 0, 1));
    assertTrue(validator.complete());
  }

  @Test
  void rejectionSticksUntilReset() {
    Utf8Validator validator = new Utf8Validator();
    assertFalse(validator.feed(hex("ff"), 0, 1));
    assertFalse(validator.feed(hex("41"), 0, 1));
    assertFalse(validator.complete());
    validator.reset();
    assertTrue(validator.feed(hex("41"), 0, 1));
    assertTrue(validator.complete());
  }

  @Test
  void findsANonAsciiByteAtEveryPositionOfTheFastPath() {
    for (int at = 0; at < 24; at++) {
      byte[] bytes = Frames.utf8(Frames.ascii(24));
      bytes[at] = (byte) 0x80;
      assertFalse(Utf8Validator.isValid(bytes, 0, bytes.length), "bad byte at " + at);
      assertTrue(Utf8Validator.isValid(bytes, 0, at), "before " + at);
    }
  }

  @Test
  void agreesWithTheJdkOnEverySequenceOfUpToThreeBytes() {
    CharsetDecoder jdk =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    byte[] one = new byte[1];
    byte[] two = new byte[2];
    byte[] three = new byte[3];
    for (int a = 0; a < 256; a++) {
      one[0] = (byte) a;
      assertAgrees(jdk, one);
      for (int b = 0; b < 256; b++) {
        two[0] = (byte) a;
        two[1] = (byte) b;
        assertAgrees(jdk, two);
        if (a >= 0xe0) {
          for (int c = 0; c < 256; c++) {
            three[0] = (byte) a;
            three[1] = (byte) b;
            three[2] = (byte) c;
            assertAgrees(jdk, three);
          }
        }
      }
    }
  }

  @Test
  void agreesWithTheJdkOnFourByteSequences() {
    CharsetDecoder jdk =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    int[] edges = {0x00, 0x7f, 0x80, 0x8f, 0x90, 0xbf, 0xc0, 0xff};
    byte[] four = new byte[4];
    for (int a = 0xf0; a < 0x100; a++) {
      for (int b = 0; b < 256; b++) {
        for (int c : edges) {
          for (int d : edges) {
            four[0] = (byte) a;
            four[1] = (byte) b;
            four[2] = (byte) c;
            four[3] = (byte) d;
            assertAgrees(jdk, four);
          }
        }
      }
    }
  }

  private static void assertAgrees(CharsetDecoder jdk, byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    // endOfInput = true: a sequence cut off at the end is malformed too.
    CoderResult result = jdk.reset().decode(in, CharBuffer.allocate(8), true);
    boolean jdkValid = result.isUnderflow() && !in.hasRemaining();
    if (jdkValid != Utf8Validator.isValid(bytes, 0, bytes.length)) {
      throw new AssertionError(
          HexFormat.of().formatHex(bytes) + ": the JDK says " + (jdkValid ? "valid" : "invalid"));
    }
  }
}
