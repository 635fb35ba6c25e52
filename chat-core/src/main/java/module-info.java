/**
 * The jchat library: an embeddable chat server and its Java client.
 *
 * <p>Only {@code dev.jchat} is API. Everything under {@code dev.jchat.internal} is implementation
 * and is not exported, so a program on the module path cannot reach it; the CLI, which runs on the
 * class path, is held to the same line by a test of its compiled classes. The internal packages
 * whose records Jackson reads or writes are opened to Jackson alone.
 *
 * <p>pgjdbc, HikariCP and Jedis ship as automatic modules (a stable {@code Automatic-Module-Name},
 * no {@code module-info}); requiring them by that name is what they document.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // Micrometer's jars
module dev.jchat {
  requires com.fasterxml.jackson.databind;
  requires transitive micrometer.core;
  requires java.net.http;
  requires transitive java.sql; // ChatServer.Builder.database(DataSource)
  requires java.management;
  requires jdk.management;
  requires org.xerial.sqlitejdbc;
  requires org.postgresql.jdbc;
  requires com.zaxxer.hikari;
  requires redis.clients.jedis;

  exports dev.jchat;

  opens dev.jchat.internal.cluster to
      com.fasterxml.jackson.databind;
  opens dev.jchat.internal.rest to
      com.fasterxml.jackson.databind;
  opens dev.jchat.internal.service to
      com.fasterxml.jackson.databind;
  opens dev.jchat.internal.socket to
      com.fasterxml.jackson.databind;
}
