/**
 * Persistence behind one seam, {@link dev.jchat.internal.store.ChatStore} (one interface per
 * concern, and the batch transaction {@link dev.jchat.internal.store.MessageBatches}); its SQLite
 * implementation, {@link dev.jchat.internal.store.Database} (PRAGMAs, migrations, connections); and
 * the single-writer {@link dev.jchat.internal.store.MessageLog}.
 *
 * <p>Every method here may block on the database, so none may run on an event-loop thread. Failures
 * surface as the unchecked {@link dev.jchat.internal.store.StoreException}; {@code SQLException}
 * never leaves this package.
 *
 * <p>Null policy: parameters and results are non-null unless a parameter or record component is
 * documented as nullable (a user's name and email, a message's {@code ref}, the paging bounds).
 */
package dev.jchat.internal.store;
