package io.shoal.tracker.protocol;

/** A request a client got wrong. {@link #getMessage()} is safe to send to the client (short, plain ASCII, no internals). */
public final class ProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProtocolException(String clientMessage) {
        // No stack trace: these are thrown per bad request on hot paths and say everything in the message.
        super(clientMessage, null, false, false);
    }
}
