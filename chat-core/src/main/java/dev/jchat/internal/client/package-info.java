/**
 * The implementation of {@link dev.jchat.ChatClient} and {@link dev.jchat.ChatSocket}: REST calls,
 * the socket's framing, request bookkeeping. Not an API: may change without notice. Parameters are
 * never null unless documented otherwise.
 */
package dev.jchat.internal.client;
