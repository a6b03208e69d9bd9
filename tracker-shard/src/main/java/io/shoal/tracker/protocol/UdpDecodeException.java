package io.shoal.tracker.protocol;

/**
 * Why a datagram could not be decoded, with what was readable of its header so that the server can decide to
 * answer with an error (action 3 to the transaction id) or drop it. {@code hasHeader() == false} (shorter than 16
 * bytes, larger than {@link UdpRequestDecoder#MAX_DATAGRAM}, or a connect without the protocol id): drop silently,
 * since answering unauthenticated junk would make the tracker a reflector. {@link #getMessage()} is client-safe.
 */
public final class UdpDecodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean hasHeader;
    private final long connectionId;
    private final int action;
    private final int transactionId;

    /** A datagram without a usable header. */
    public UdpDecodeException(String clientMessage) {
        this(clientMessage, false, 0, -1, 0);
    }

    /** A datagram with a header whose body is wrong. */
    public UdpDecodeException(String clientMessage, long connectionId, int action, int transactionId) {
        this(clientMessage, true, connectionId, action, transactionId);
    }

    private UdpDecodeException(String clientMessage, boolean hasHeader, long connectionId, int action, int transactionId) {
        // No stack trace: thrown per bad datagram, and the message says everything.
        super(clientMessage, null, false, false);
        this.hasHeader = hasHeader;
        this.connectionId = connectionId;
        this.action = action;
        this.transactionId = transactionId;
    }

    public boolean hasHeader() {
        return hasHeader;
    }

    public long connectionId() {
        return connectionId;
    }

    public int action() {
        return action;
    }

    public int transactionId() {
        return transactionId;
    }
}
