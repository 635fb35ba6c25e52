package dev.jchat.internal.store;

import java.lang.System.Logger.Level;
import java.util.List;

/**
 * Tells callbacks and the batch listener what became of their sends, so that a throwing callback
 * cannot stop the message log's writer: such exceptions are logged and dropped. Called on the
 * writer thread, or on an appending thread for a send refused before queueing.
 */
final class Delivery {
  static final System.Logger LOG = System.getLogger(MessageLog.class.getName());

  private Delivery() {}

  /**
   * Answers each send of a committed batch in order, then hands the stored ones to the listener in
   * one call.
   */
  static void committed(
      List<PendingSend> batch,
      List<MessageBatches.Outcome> outcomes,
      List<MessageLog.Appended> stored,
      MessageLog.BatchListener listener) {
    Runnable answers =
        () -> {
          for (int i = 0; i < batch.size(); i++) {
            answer(batch.get(i), outcomes.get(i));
          }
          if (!stored.isEmpty()) {
            try {
              listener.committed(stored);
            } catch (RuntimeException e) {
              LOG.log(Level.ERROR, "message batch listener failed", e);
            }
          }
        };
    try {
      listener.answering(answers);
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "message batch listener failed", e);
    }
  }

  /** Fails every send of a batch that was rolled back; the caller has logged the failure. */
  static void rolledBack(List<PendingSend> batch, StoreException failure) {
    for (PendingSend send : batch) {
      failed(send, failure);
    }
  }

  static void failed(PendingSend send, RuntimeException failure) {
    try {
      send.callback().failed(failure);
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "message log callback failed", e);
    }
  }

  private static void answer(PendingSend send, MessageBatches.Outcome outcome) {
    if (outcome.failure() != null) {
      failed(send, outcome.failure());
      return;
    }
    MessageLog.Appended appended = outcome.appended();
    try {
      send.callback().stored(appended.message(), appended.ref(), appended.duplicate());
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "message log callback failed", e);
    }
  }
}
