package dev.jchat.internal.reactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

final class OutboundQueueTest {

  private static byte[] bytes(int n, int value) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) value);
    return b;
  }

  private static byte[] drainAll(OutboundQueue q) {
    ByteBuffer all = ByteBuffer.allocate(1024);
    q.drainInto(all);
    return Arrays.copyOf(all.array(), all.position());
  }

  @Test
  void droppingTheBacklogKeepsTheRestOfAFramePartlyWritten() {
    OutboundQueue q = new OutboundQueue();
    q.offer(bytes(10, 1));
    q.offer(bytes(10, 2));
    q.offer(bytes(10, 3));
    ByteBuffer written = ByteBuffer.allocate(4);
    q.drainInto(written); // 4 bytes of the first frame are out: the peer needs the other 6

    q.dropUnstarted();
    q.offer(bytes(2, 9));

    assertEquals(8, q.queuedBytes());
    assertArrayEquals(new byte[] {1, 1, 1, 1, 1, 1, 9, 9}, drainAll(q));
    assertEquals(0, q.queuedBytes());
  }

  @Test
  void droppingTheBacklogBetweenFramesDropsThemAll() {
    OutboundQueue q = new OutboundQueue();
    q.offer(bytes(10, 1));
    q.offer(bytes(10, 2));
    ByteBuffer written = ByteBuffer.allocate(10);
    q.drainInto(written); // exactly the first frame

    q.dropUnstarted();

    assertEquals(0, q.queuedBytes());
    assertTrue(q.isEmpty());
  }
}
