package dev.jchat.bench;

import dev.jchat.internal.room.Room;
import dev.jchat.internal.socket.ServerFrames;
import dev.jchat.internal.store.StoredMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Fan-out of one committed message to every member of a room, as the server's broadcaster does it:
 * encode the {@code message} frame once ({@link ServerFrames#message}), then {@link Room#fanOut},
 * which queues the same array on every subscriber under the room's lock.
 *
 * <p>Subscribers are {@link QueueingSubscriber}s spread over two event-loop stand-ins (the server's
 * loop count on this 2-core machine). Every 64 messages the loops run their flushes, which empties
 * the queues in constant time per subscriber so memory stays bounded; that share is included and
 * small. What is left out: the socket writes, and the one {@code Selector.wakeup()} per loop and
 * burst. The score is the time per message, for all members together.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class FanOutBenchmark {
  private static final String ROOM = "general";
  private static final int LOOPS = 2;
  private static final int FLUSH_EVERY = 64;
  private static final String TEXT = SampleText.ofLength(64);

  @Param({"1", "100", "10000"})
  public int members;

  private Room room;
  private final List<QueueingSubscriber> subscribers = new ArrayList<>();
  private final List<QueueingSubscriber.LoopStandIn> loops = new ArrayList<>();
  private long seq;

  @Setup(Level.Trial)
  public void setUp() {
    room = new Room(ROOM, ROOM, false, "system", 0, 0);
    for (int i = 0; i < LOOPS; i++) {
      loops.add(new QueueingSubscriber.LoopStandIn());
    }
    // Everyone subscribes before anyone is released, so no presence frames are exchanged.
    List<Room.Subscription> subscriptions = new ArrayList<>();
    byte[] presence = new byte[0];
    for (int i = 0; i < members; i++) {
      QueueingSubscriber s = new QueueingSubscriber("user" + i, loops.get(i % LOOPS));
      subscribers.add(s);
      subscriptions.add(room.subscribe(s, presence));
    }
    byte[] joined = new byte[0];
    for (Room.Subscription sub : subscriptions) {
      room.release(sub, 0, (lastSeq, online, late) -> joined);
    }
    runFlushes();
  }

  @Benchmark
  public byte[] fanOut() {
    long s = ++seq;
    byte[] frame = ServerFrames.message(new StoredMessage(ROOM, s, "alice", TEXT, s));
    room.fanOut(s, frame);
    if (s % FLUSH_EVERY == 0) {
      runFlushes();
    }
    return frame;
  }

  @TearDown(Level.Iteration)
  public void checkNothingRefused() {
    for (QueueingSubscriber s : subscribers) {
      if (s.refused() > 0) {
        throw new IllegalStateException(s.userId() + " refused " + s.refused() + " frames");
      }
    }
  }

  private void runFlushes() {
    for (QueueingSubscriber.LoopStandIn loop : loops) {
      loop.runFlushes();
    }
  }
}
