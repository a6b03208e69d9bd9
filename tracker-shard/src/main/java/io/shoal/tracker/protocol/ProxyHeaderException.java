package io.shoal.tracker.protocol;

/** A datagram whose PROXY v2 header is missing or malformed; the datagram is dropped, never answered. */
public final class ProxyHeaderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProxyHeaderException(String message) {
        // No stack trace: thrown per bad datagram on a hot path, and the message says everything.
        super(message, null, false, false);
    }
}
