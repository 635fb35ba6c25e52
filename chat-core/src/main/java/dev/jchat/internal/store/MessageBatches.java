package dev.jchat.internal.store;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * The group-commit writer's transaction: writes a batch of sends in one transaction, assigning each
 * message its room's next seq inside that transaction, and answers a repeated {@code (sender, ref)}
 * with the original message instead of storing it again. Seqs start at 1 per room and have no gaps:
 * a duplicate or a send to an unknown room uses none, and a batch that fails uses none.
 *
 * <p>Owned by the {@link MessageLog}'s writer thread alone (one instance per log, never shared).
 * Nothing a batch wrote is visible, and nothing may be acknowledged, before {@link #write} returns.
 */
public interface MessageBatches extends AutoCloseable {

  /** What became of one send. Exactly one of the two is non-null. */
  record Outcome(MessageLog.Appended appended, RuntimeException failure) {
    static Outcome stored(StoredMessage message, String ref, boolean duplicate) {
      return new Outcome(new MessageLog.Appended(message, ref, duplicate), null);
    }

    static Outcome failed(RuntimeException failure) {
      return new Outcome(null, failure);
    }
  }

  /**
   * Writes and commits {@code batch}; a send to a room that does not exist fails alone with {@link
   * UnknownRoomException}.
   *
   * @param clock each message's timestamp, epoch milliseconds
   * @return one outcome per send, in order; valid only because the batch committed
   * @throws StoreException after rolling the whole batch back (a {@link StoreUnavailableException}
   *     when the storage is the trouble); the next call starts afresh
   */
  List<Outcome> write(List<PendingSend> batch, LongSupplier clock);

  /**
   * Called after each committed batch was answered, for work that may take longer than a batch and
   * should not delay its answers (SQLite folds its recent messages). Handles its own failures; the
   * next batch must work whatever happened here.
   */
  default void afterBatch() {}

  /** Releases what this writer holds (statements, a connection). */
  @Override
  void close();
}
