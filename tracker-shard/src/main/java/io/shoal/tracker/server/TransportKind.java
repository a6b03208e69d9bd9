package io.shoal.tracker.server;

/** Which Netty transport to run on. {@code AUTO} picks epoll when the native library loads, else NIO. */
public enum TransportKind {
    AUTO,
    EPOLL,
    NIO
}
