package io.shoal.tracker.peers;

/**
 * A request the store could not serve. The message is safe to send to a client as a
 * {@code failure reason} or UDP error text: it names the condition, never internals.
 */
public class PeerStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Kind kind;

    public enum Kind {
        /** A configured limit (torrents, peers) is reached; nothing was changed. */
        FULL,
        /** The backing store cannot be reached or did not answer in time; nothing is known to have changed. */
        UNAVAILABLE
    }

    public PeerStoreException(Kind kind, String clientMessage) {
        super(clientMessage, null, false, false);
        this.kind = kind;
    }

    public PeerStoreException(Kind kind, String clientMessage, Throwable cause) {
        super(clientMessage, cause, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
