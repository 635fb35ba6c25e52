/**
 * HTTP/1.1 on bytes: an incremental, bounded request parser and a response encoder. Nothing here
 * sees a socket; the reactor hands in {@link java.nio.ByteBuffer}s and writes out the {@code
 * byte[]}s it gets back.
 *
 * <p>Null policy: lookups ({@link dev.jchat.internal.http.HttpHeaders#get}, {@link
 * dev.jchat.internal.http.HttpRequest#header}) return {@code null} for an absent header; nothing
 * else accepts or returns {@code null}.
 *
 * <p>Threads: a parser belongs to one connection and is used only by that connection's event loop.
 * The requests it returns are not modified afterwards, so they may be handed to a worker thread
 * through a queue.
 */
package dev.jchat.internal.http;
