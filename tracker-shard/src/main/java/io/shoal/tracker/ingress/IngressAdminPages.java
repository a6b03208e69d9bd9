package io.shoal.tracker.ingress;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shoal.tracker.server.AdminPages;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/** The ingress's admin pages: ready when routes are loaded, every shard resolved and the sockets bound. */
final class IngressAdminPages implements AdminPages {
    private final PrometheusMeterRegistry registry;
    private final RouteKeeper keeper;
    private final IngressMetrics metrics;
    private final BooleanSupplier socketsBound;
    private final IntSupplier inFlight;
    private final long startedNanos = System.nanoTime();

    IngressAdminPages(PrometheusMeterRegistry registry, RouteKeeper keeper, IngressMetrics metrics,
                      BooleanSupplier socketsBound, IntSupplier inFlight) {
        this.registry = registry;
        this.keeper = keeper;
        this.metrics = metrics;
        this.socketsBound = socketsBound;
        this.inFlight = inFlight;
    }

    @Override
    public String notReadyReason() {
        Routes r = keeper.get();
        if (r == null) {
            return " no routing document loaded";
        }
        if (!keeper.isReady()) {
            StringBuilder why = new StringBuilder(" no resolved replica for shard");
            for (int shard = 0; shard < r.shardCount(); shard++) {
                if (r.replicas(shard).isEmpty()) {
                    why.append(' ').append(shard);
                }
            }
            return why.toString();
        }
        return socketsBound.getAsBoolean() ? null : " sockets not bound";
    }

    @Override
    public String metrics() {
        return registry.scrape();
    }

    @Override
    public Map<String, Object> stats() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("uptime_seconds", (System.nanoTime() - startedNanos) / 1_000_000_000L);
        body.put("ready", notReadyReason() == null);
        body.put("epoch", keeper.epoch());
        body.put("in_flight", inFlight.getAsInt());
        List<Map<String, Object>> shards = keeper.shardSummary();
        for (Map<String, Object> s : shards) {
            s.put("udp", metrics.counts((Integer) s.get("shard")));
        }
        body.put("shards", shards);
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("udp", metrics.counts(IngressMetrics.ALL));
        body.put("unsharded", all);
        Map<String, Long> invalid = new LinkedHashMap<>();
        for (IngressMetrics.Drop d : IngressMetrics.Drop.values()) {
            invalid.put(d.name().toLowerCase(java.util.Locale.ROOT), metrics.dropped(d));
        }
        body.put("udp_invalid", invalid);
        return body;
    }
}
