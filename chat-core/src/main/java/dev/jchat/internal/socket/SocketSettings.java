package dev.jchat.internal.socket;

/** The chat socket's limits, fixed at server start. */
public record SocketSettings(
    int maxMessageBytes,
    long helloTimeoutNanos,
    long pingIntervalNanos,
    int historyCap,
    String serverName,
    double readsPerSecond) {}
