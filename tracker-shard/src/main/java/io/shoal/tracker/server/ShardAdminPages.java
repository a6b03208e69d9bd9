package io.shoal.tracker.server;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shoal.tracker.peers.PeerStore;
import io.shoal.tracker.peers.StoreStats;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** A shard's admin pages: ready when its store is and its sockets are bound; store totals on /stats. */
final class ShardAdminPages implements AdminPages {
    private final PrometheusMeterRegistry registry;
    private final TrackerMetrics metrics;
    private final PeerStore store;
    private final BooleanSupplier socketsBound;

    ShardAdminPages(PrometheusMeterRegistry registry, TrackerMetrics metrics, PeerStore store,
                    BooleanSupplier socketsBound) {
        this.registry = registry;
        this.metrics = metrics;
        this.store = store;
        this.socketsBound = socketsBound;
    }

    @Override
    public String notReadyReason() {
        boolean storeReady = store.isReady();
        boolean bound = socketsBound.getAsBoolean();
        if (storeReady && bound) {
            return null;
        }
        return (storeReady ? "" : " store unavailable") + (bound ? "" : " sockets not bound");
    }

    @Override
    public String metrics() {
        return registry.scrape();
    }

    @Override
    public Map<String, Object> stats() {
        StoreStats s = store.stats();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("uptime_seconds", metrics.uptime().toSeconds());
        body.put("ready", store.isReady() && socketsBound.getAsBoolean());
        body.put("torrents", s.torrents());
        body.put("peers", s.peers());
        body.put("seeders", s.seeders());
        body.put("leechers", s.leechers());
        body.put("requests", metrics.requestCounts());
        return body;
    }
}
