package io.shoal.tracker.ingress.http;

/**
 * Why a request could not be answered through its shard, with what the client is told (a {@code failure reason}) and
 * how the request is counted.
 */
final class ForwardException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    enum Reason {
        /** The routes know no healthy replica of the shard. */
        NO_REPLICA("tracker shard unavailable", HttpIngressMeters.Result.ERROR),
        /** Connecting failed or the connection broke before an answer. */
        UNREACHABLE("tracker shard unavailable", HttpIngressMeters.Result.ERROR),
        TIMEOUT("tracker shard timed out", HttpIngressMeters.Result.TIMEOUT),
        /** More requests wait for the replica than the ingress queues: shed rather than queue without bound. */
        OVERLOADED("tracker busy, try again later", HttpIngressMeters.Result.REFUSED),
        /** The answer was malformed, too large, or not a success. */
        BAD_ANSWER("bad answer from tracker shard", HttpIngressMeters.Result.ERROR),
        /** The shard answered with a failure reason (carried as the message). */
        SHARD_FAILURE(null, HttpIngressMeters.Result.ERROR);

        private final String message;
        private final HttpIngressMeters.Result result;

        Reason(String message, HttpIngressMeters.Result result) {
            this.message = message;
            this.result = result;
        }
    }

    private final Reason reason;

    ForwardException(Reason reason) {
        this(reason, reason.message);
    }

    ForwardException(Reason reason, String clientMessage) {
        // No stack trace: thrown per failed request, and the reason says it all.
        super(clientMessage, null, false, false);
        this.reason = reason;
    }

    Reason reason() {
        return reason;
    }

    HttpIngressMeters.Result result() {
        return reason.result;
    }
}
