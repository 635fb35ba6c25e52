package dev.jchat.cli.bench;

import static dev.jchat.cli.bench.FrameScanner.ACK;
import static dev.jchat.cli.bench.FrameScanner.ERROR;
import static dev.jchat.cli.bench.FrameScanner.HISTORY;
import static dev.jchat.cli.bench.FrameScanner.JOINED;
import static dev.jchat.cli.bench.FrameScanner.MESSAGE;
import static dev.jchat.cli.bench.FrameScanner.OTHER;
import static dev.jchat.cli.bench.FrameScanner.WELCOME;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

final class FrameScannerTest {

  @Test
  void typesOfTheProtocolsServerFrames() {
    assertEquals(
        WELCOME, type("{\"type\":\"welcome\",\"userId\":\"alice\",\"server\":\"jchat/0.1\"}"));
    assertEquals(
        JOINED,
        type(
            "{\"type\":\"joined\",\"room\":\"general\",\"lastSeq\":57,"
                + "\"complete\":true,\"online\":[\"alice\"],\"history\":[]}"));
    assertEquals(
        ACK,
        type(
            "{\"type\":\"ack\",\"ref\":\"c-17\",\"room\":\"general\",\"seq\":58,"
                + "\"ts\":1764383400123}"));
    assertEquals(
        MESSAGE,
        type(
            "{\"type\":\"message\",\"room\":\"general\",\"seq\":58,"
                + "\"from\":\"alice\",\"text\":\"hello\",\"ts\":1764383400123}"));
    assertEquals(
        ERROR, type("{\"type\":\"error\",\"code\":\"not_found\",\"message\":\"no room 'x'\"}"));
    assertEquals(
        OTHER,
        type(
            "{\"type\":\"presence\",\"room\":\"general\",\"userId\":\"alice\","
                + "\"event\":\"join\"}"));
    assertEquals(OTHER, type("{\"type\":\"messages\"}"));
  }

  @Test
  void typeNeedNotComeFirstNorBeCompact() {
    assertEquals(ACK, type("{\"seq\":3, \"type\" : \"ack\"}"));
    assertEquals(MESSAGE, type("{ \"room\": \"r\", \"type\":\t\"message\", \"text\": \"t=5\" }"));
  }

  @Test
  void typeInsideATextIsNotTheFramesType() {
    // The text holds {"type":"ack"}, escaped as JSON requires; the frame has no type of its own.
    assertEquals(OTHER, type("{\"text\":\"{\\\"type\\\":\\\"ack\\\"}\",\"kind\":\"x\"}"));
    assertEquals(
        MESSAGE,
        type("{\"room\":\"r\",\"text\":\"\\\"type\\\":\\\"ack\\\"\"," + "\"type\":\"message\"}"));
  }

  @Test
  void framesWithoutAStringTypeAreOther() {
    assertEquals(OTHER, type("{}"));
    assertEquals(OTHER, type("{\"type\":7}"));
    assertEquals(OTHER, type("{\"type\":\"mess"));
    assertEquals(OTHER, type(""));
  }

  @Test
  void stampAndSenderAreReadFromTheText() {
    byte[] f =
        utf8(
            "{\"type\":\"message\",\"room\":\"bench-3\",\"seq\":58,\"from\":\"bench-7\","
                + "\"text\":\"t=1234567890123 c=17 xxxxxxxx\",\"ts\":1764383400123}");
    assertEquals(1234567890123L, FrameScanner.stamp(f));
    assertEquals(17, FrameScanner.sender(f));
  }

  @Test
  void textsNotWrittenByTheBenchHaveNoStamp() {
    assertEquals(-1, FrameScanner.stamp(utf8("{\"type\":\"message\",\"text\":\"hello\"}")));
    assertEquals(-1, FrameScanner.stamp(utf8("{\"type\":\"message\",\"text\":\"t=\"}")));
    assertEquals(-1, FrameScanner.stamp(utf8("{\"type\":\"message\",\"text\":\"t\"}")));
    assertEquals(-1, FrameScanner.stamp(utf8("{\"type\":\"message\"}")));
    assertEquals(-1, FrameScanner.sender(utf8("{\"type\":\"message\",\"text\":\"t=12 xx\"}")));
    assertEquals(-1, FrameScanner.sender(utf8("{\"type\":\"message\",\"text\":\"t=12 c=\"}")));
  }

  @Test
  void stampIsFoundWhateverTheFieldOrder() {
    byte[] f = utf8("{\"text\": \"t=42 c=0 x\", \"from\":\"text\", \"type\":\"message\"}");
    assertEquals(42, FrameScanner.stamp(f));
    assertEquals(0, FrameScanner.sender(f));
  }

  @Test
  void aValueEqualToTheKeyIsNotTheKey() {
    // "text" appears first as a value; the key comes later.
    byte[] f = utf8("{\"type\":\"message\",\"from\":\"text\",\"text\":\"t=9 c=1\"}");
    assertEquals(9, FrameScanner.stamp(f));
  }

  @Test
  void stringFieldsOfRareFrames() {
    byte[] f =
        utf8("{\"type\":\"error\",\"code\":\"rate_limited\",\"message\":\"slow \\\"down\\\"\"}");
    assertEquals("rate_limited", FrameScanner.stringField(f, "code"));
    assertEquals("slow \\\"down\\\"", FrameScanner.stringField(f, "message"));
    assertNull(FrameScanner.stringField(f, "ref"));
    assertNull(FrameScanner.stringField(utf8("{\"code\":\"unterminated}"), "code"));
    assertNull(FrameScanner.stringField(utf8("{\"code\":404}"), "code"));
  }

  @Test
  void seqsOfMessagesAcksJoinedAndHistoryPages() {
    assertEquals(58, FrameScanner.seq(utf8("{\"type\":\"ack\",\"room\":\"g\",\"seq\":58}")));
    assertEquals(-1, FrameScanner.seq(utf8("{\"type\":\"welcome\"}")));
    byte[] joined =
        utf8(
            "{\"type\":\"joined\",\"room\":\"g\",\"lastSeq\":7,\"complete\":true,"
                + "\"online\":[\"seq\"],\"history\":[{\"type\":\"message\",\"seq\":6,"
                + "\"text\":\"\\\"seq\\\":99\"},{\"type\":\"message\",\"seq\":7}]}");
    assertEquals(7, FrameScanner.numberField(joined, "lastSeq"));
    assertArrayEquals(new long[] {6, 7}, FrameScanner.historySeqs(joined));
    assertArrayEquals(
        new long[] {},
        FrameScanner.historySeqs(utf8("{\"type\":\"joined\",\"lastSeq\":0,\"history\":[]}")));
    assertEquals(HISTORY, type("{\"type\":\"history\",\"messages\":[]}"));
    assertEquals(2, FrameScanner.seqCount(utf8("{\"messages\":[{\"seq\":1},{\"seq\": 2}]}")));
  }

  private static int type(String json) {
    return FrameScanner.type(utf8(json));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
