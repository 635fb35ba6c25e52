/**
 * The chat socket's wire format, RFC 6455 version 13, as codecs that never see a socket: {@link
 * dev.jchat.internal.websocket.FrameDecoder} turns whatever bytes a read produced into messages and
 * control frames, {@link dev.jchat.internal.websocket.FrameEncoder} turns payloads into frames
 * ready to write, and {@link dev.jchat.internal.websocket.WebSocketProtocol} holds the numbers and
 * the handshake's accept key.
 *
 * <p>No extensions and no subprotocols are negotiated, so the reserved bits are always zero. Only
 * text messages are carried; a binary message closes with 1003.
 *
 * <p>Arguments and return values are never null.
 */
package dev.jchat.internal.websocket;
