package io.shoal.tracker.protocol;

public final class UdpDecodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean hasHeader;
    private final long connectionId;
    private final int action;
    private final int transactionId;

    public UdpDecodeException(String clientMessage, boolean hasHeader, long connectionId, int action, int transactionId) {
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
