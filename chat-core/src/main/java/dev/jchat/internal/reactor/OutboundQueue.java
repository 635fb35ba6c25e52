package dev.jchat.internal.reactor;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes waiting to be written to one connection. Any thread may {@link #offer}; only the
 * connection's event loop drains. The same frame array may sit in many queues at once (encode once,
 * fan out everywhere), so the queue never modifies the arrays it holds.
 */
final class OutboundQueue {
  private final ConcurrentLinkedQueue<byte[]> frames = new ConcurrentLinkedQueue<>();
  private final AtomicLong queuedBytes = new AtomicLong();

  /** Bytes of the head frame already copied out; loop-owned. */
  private int headOffset;

  /** Queues a frame and returns the number of bytes now waiting, this frame included. */
  long offer(byte[] frame) {
    frames.add(frame);
    return queuedBytes.addAndGet(frame.length);
  }

  long queuedBytes() {
    return queuedBytes.get();
  }

  boolean isEmpty() {
    return frames.isEmpty();
  }

  /** Copies as many waiting bytes as fit into {@code target}; returns how many were copied. */
  int drainInto(ByteBuffer target) {
    int copied = 0;
    byte[] head;
    while (target.hasRemaining() && (head = frames.peek()) != null) {
      int n = Math.min(head.length - headOffset, target.remaining());
      target.put(head, headOffset, n);
      headOffset += n;
      copied += n;
      if (headOffset == head.length) {
        frames.poll();
        headOffset = 0;
      }
    }
    queuedBytes.addAndGet(-copied);
    return copied;
  }

  /**
   * Drops every frame not started yet, for a slow consumer's last words. A frame partly written
   * already stays: the peer has its first bytes, and without the rest it would read whatever comes
   * next as that frame's payload. Loop thread only.
   */
  void dropUnstarted() {
    long dropped = 0;
    Iterator<byte[]> it = frames.iterator();
    if (headOffset > 0 && it.hasNext()) {
      it.next();
    }
    while (it.hasNext()) {
      dropped += it.next().length;
      it.remove();
    }
    queuedBytes.addAndGet(-dropped);
  }

  /** Drops everything waiting (the connection is closed). */
  void clear() {
    long dropped = 0;
    byte[] f;
    while ((f = frames.poll()) != null) {
      dropped += f.length;
    }
    dropped -= headOffset;
    headOffset = 0;
    queuedBytes.addAndGet(-dropped);
  }
}
