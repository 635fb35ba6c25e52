package dev.jchat.internal.store;

/**
 * A send arrived after {@link MessageLog#close()} began: the server is shutting down and the
 * message was not stored. Expected during a shutdown, so not worth an error in the log.
 */
public final class LogClosedException extends StoreException {
  LogClosedException() {
    super("message log is closed");
  }
}
