package io.shoal.tracker.peers.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisNoScriptException;
import io.shoal.tracker.peers.PeerStoreException;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns whatever went wrong talking to Redis into the store's client-safe exceptions. */
final class Failures {

    static final String UNAVAILABLE_MESSAGE = "peer store unavailable";
    static final String FULL_MESSAGE = "tracker is full";

    private Failures() {
    }

    static PeerStoreException unavailable() {
        return new PeerStoreException(PeerStoreException.Kind.UNAVAILABLE, UNAVAILABLE_MESSAGE);
    }

    static PeerStoreException full() {
        return new PeerStoreException(PeerStoreException.Kind.FULL, FULL_MESSAGE);
    }

    static Throwable unwrap(Throwable t) {
        Throwable cur = t;
        while ((cur instanceof CompletionException || cur instanceof ExecutionException) && cur.getCause() != null) {
            cur = cur.getCause();
        }
        return cur;
    }

    static boolean isNoScript(Throwable t) {
        Throwable cause = unwrap(t);
        return cause instanceof RedisNoScriptException
                || (cause.getMessage() != null && cause.getMessage().startsWith("NOSCRIPT"));
    }

    /**
     * Timeouts, refused commands while disconnected, a full request queue, a loading or busy server: all
     * UNAVAILABLE. Redis out of memory (maxmemory reached) means the store is FULL.
     */
    static PeerStoreException translate(Throwable t) {
        Throwable cause = unwrap(t);
        if (cause instanceof PeerStoreException p) {
            return p;
        }
        if (cause instanceof RedisCommandExecutionException && cause.getMessage() != null
                && cause.getMessage().contains("OOM")) {
            return new PeerStoreException(PeerStoreException.Kind.FULL, FULL_MESSAGE, cause);
        }
        return new PeerStoreException(PeerStoreException.Kind.UNAVAILABLE, UNAVAILABLE_MESSAGE, cause);
    }
}
