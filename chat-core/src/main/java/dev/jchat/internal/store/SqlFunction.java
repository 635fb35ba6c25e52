package dev.jchat.internal.store;

import java.sql.SQLException;

/** A step of JDBC work that may throw {@link SQLException}; runs on the caller's thread. */
@FunctionalInterface
interface SqlFunction<T, R> {
  R apply(T input) throws SQLException;
}
