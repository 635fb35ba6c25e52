/**
 * JMH benchmarks of chat-core, one class per subject: the WebSocket frame codec, the JSON of the
 * chat socket, room fan-out, the message log's group commit into SQLite, and a round trip over
 * loopback against an embedded server.
 *
 * <p>Each class sets modest defaults (one fork, short iterations) so that the whole suite runs in
 * minutes; pass {@code -f}, {@code -wi}, {@code -i}, {@code -w} and {@code -r} for longer runs.
 * Every benchmark that touches the file system works in its own temporary directory and deletes it
 * in its {@code @TearDown}.
 */
package dev.jchat.bench;
