package io.shoal.tracker.server;

import java.util.Map;

/** What an admin port shows: a shard's or an ingress's. {@link AdminServer} does the HTTP. */
public interface AdminPages {
    /** Null when ready to serve traffic, else a short reason ({@code /readyz} answers 503 with it). */
    String notReadyReason();

    /** The Prometheus text of {@code /metrics}. */
    String metrics();

    /** The JSON object of {@code /stats}. */
    Map<String, Object> stats();
}
