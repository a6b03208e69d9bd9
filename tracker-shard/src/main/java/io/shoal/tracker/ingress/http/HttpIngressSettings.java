package io.shoal.tracker.ingress.http;

import io.shoal.tracker.server.RateLimit;
import java.time.Duration;
import java.util.Objects;

/**
 * How the HTTP side of the ingress behaves, validated. Built by the {@code ingress} command or by tests through
 * {@link #builder()}; defaults match the shard's where both have the setting.
 *
 * @param forwardTimeout           a request not answered by its shard(s) within this is answered with a failure
 * @param maxConnectionsPerReplica pooled keep-alive connections to one shard replica, at most
 * @param maxPendingPerReplica     requests waiting for a pooled connection to one replica, at most; more fail at once
 * @param maxResponseBytes         largest shard answer accepted (full scrapes are the big ones)
 * @param replicaIdleTimeout       pooled connections idle this long are closed; keep it below the shards'
 *                                 {@code --http-idle-timeout}, so that the ingress, not the shard, ends idle ones
 * @param maxScrapeHashes          info hashes in one scrape, at most (as the shard's limit)
 * @param fullScrape               whether a scrape without info_hash is answered (fanned out to every shard)
 * @param fullScrapeRefresh        the merged full scrape is rebuilt at most this often; keep it at least the shards'
 *                                 {@code --full-scrape-rate} period, as the ingress is one client to them
 * @param fullScrapeRate           full scrapes allowed per client address (IPv6 per /64)
 */
public record HttpIngressSettings(
        Duration forwardTimeout,
        int maxConnectionsPerReplica,
        int maxPendingPerReplica,
        int maxResponseBytes,
        Duration replicaIdleTimeout,
        int maxScrapeHashes,
        boolean fullScrape,
        Duration fullScrapeRefresh,
        RateLimit fullScrapeRate,
        int rateLimiterMaxClients,
        Duration httpIdleTimeout,
        Duration httpRequestTimeout,
        int httpMaxConnections,
        int httpMaxConnectionsPerAddress) {

    private static final Duration MAX_DURATION = Duration.ofDays(1);

    public HttpIngressSettings {
        positive("forward timeout", forwardTimeout);
        positive("replica idle timeout", replicaIdleTimeout);
        positive("full scrape refresh", fullScrapeRefresh);
        positive("HTTP idle timeout", httpIdleTimeout);
        positive("HTTP request timeout", httpRequestTimeout);
        Objects.requireNonNull(fullScrapeRate, "full scrape rate");
        atLeastOne("connections per replica", maxConnectionsPerReplica);
        atLeastOne("pending requests per replica", maxPendingPerReplica);
        atLeastOne("max scrape hashes", maxScrapeHashes);
        atLeastOne("rate limiter clients", rateLimiterMaxClients);
        atLeastOne("HTTP max connections", httpMaxConnections);
        atLeastOne("HTTP max connections per address", httpMaxConnectionsPerAddress);
        if (maxResponseBytes < 1024) {
            throw new IllegalArgumentException("max response bytes must be at least 1024");
        }
    }

    private static void positive(String what, Duration d) {
        if (d == null || d.isNegative() || d.isZero() || d.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException(what + " must be positive and at most a day");
        }
    }

    private static void atLeastOne(String what, int n) {
        if (n < 1) {
            throw new IllegalArgumentException(what + " must be at least 1");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private Duration forwardTimeout = Duration.ofSeconds(2);
        private int maxConnectionsPerReplica = 64;
        private int maxPendingPerReplica = 1024;
        private int maxResponseBytes = 64 * 1024 * 1024;
        private Duration replicaIdleTimeout = Duration.ofSeconds(20);
        private int maxScrapeHashes = 128;
        private boolean fullScrape = true;
        private Duration fullScrapeRefresh = Duration.ofSeconds(10);
        private RateLimit fullScrapeRate = new RateLimit(1, Duration.ofSeconds(10));
        private int rateLimiterMaxClients = 100_000;
        private Duration httpIdleTimeout = Duration.ofSeconds(30);
        private Duration httpRequestTimeout = Duration.ofSeconds(10);
        private int httpMaxConnections = 20_000;
        private int httpMaxConnectionsPerAddress = 256;

        private Builder() {
        }

        public Builder forwardTimeout(Duration v) { forwardTimeout = v; return this; }
        public Builder maxConnectionsPerReplica(int v) { maxConnectionsPerReplica = v; return this; }
        public Builder maxPendingPerReplica(int v) { maxPendingPerReplica = v; return this; }
        public Builder maxResponseBytes(int v) { maxResponseBytes = v; return this; }
        public Builder replicaIdleTimeout(Duration v) { replicaIdleTimeout = v; return this; }
        public Builder maxScrapeHashes(int v) { maxScrapeHashes = v; return this; }
        public Builder fullScrape(boolean v) { fullScrape = v; return this; }
        public Builder fullScrapeRefresh(Duration v) { fullScrapeRefresh = v; return this; }
        public Builder fullScrapeRate(RateLimit v) { fullScrapeRate = v; return this; }
        public Builder rateLimiterMaxClients(int v) { rateLimiterMaxClients = v; return this; }
        public Builder httpIdleTimeout(Duration v) { httpIdleTimeout = v; return this; }
        public Builder httpRequestTimeout(Duration v) { httpRequestTimeout = v; return this; }
        public Builder httpMaxConnections(int v) { httpMaxConnections = v; return this; }
        public Builder httpMaxConnectionsPerAddress(int v) { httpMaxConnectionsPerAddress = v; return this; }

        public HttpIngressSettings build() {
            return new HttpIngressSettings(forwardTimeout, maxConnectionsPerReplica, maxPendingPerReplica,
                    maxResponseBytes, replicaIdleTimeout, maxScrapeHashes, fullScrape, fullScrapeRefresh,
                    fullScrapeRate, rateLimiterMaxClients, httpIdleTimeout, httpRequestTimeout, httpMaxConnections,
                    httpMaxConnectionsPerAddress);
        }
    }
}
