package io.shoal.tracker.server;

/**
 * A request that is well formed but refused by policy (access list, rate limit, a feature that is off).
 * The message is sent to the client. No stack trace: refusals are expected and frequent.
 */
public final class RequestRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RequestRefusedException(String clientMessage) {
        super(clientMessage, null, false, false);
    }
}
