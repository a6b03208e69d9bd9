package io.shoal.tracker.server;

import io.shoal.tracker.peers.PeerStoreException;
import io.shoal.tracker.protocol.ProtocolException;
import io.shoal.tracker.server.TrackerMetrics.Result;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a client is told about a request that failed, and how it is counted. Exceptions that carry a
 * client-safe message (protocol errors, store failures, refusals) pass their message on; anything else is a
 * bug or an outage on our side: the client gets a generic text and the log gets the details.
 *
 * @param clientMessage text for a {@code failure reason} or UDP error
 * @param result        how the request is counted
 */
public record Failure(String clientMessage, Result result) {
    private static final Logger LOG = LoggerFactory.getLogger(Failure.class);

    public static final String INTERNAL_ERROR = "internal error";

    public static Failure of(Throwable thrown) {
        Throwable t = unwrap(thrown);
        if (t instanceof RequestRefusedException) {
            return new Failure(t.getMessage(), Result.REFUSED);
        }
        if (t instanceof PeerStoreException e && e.kind() == PeerStoreException.Kind.FULL) {
            // A configured limit said no: a refusal by policy, not a fault (UNAVAILABLE is one).
            return new Failure(t.getMessage(), Result.REFUSED);
        }
        if (t instanceof ProtocolException || t instanceof PeerStoreException) {
            return new Failure(t.getMessage(), Result.ERROR);
        }
        LOG.warn("Request failed unexpectedly", t);
        return new Failure(INTERNAL_ERROR, Result.ERROR);
    }

    static Throwable unwrap(Throwable t) {
        Throwable cur = t;
        while ((cur instanceof CompletionException || cur instanceof ExecutionException) && cur.getCause() != null) {
            cur = cur.getCause();
        }
        return cur;
    }
}
