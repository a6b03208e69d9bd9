package io.shoal.tracker.server;

import io.shoal.tracker.peers.PeerStoreConfig;
import io.shoal.tracker.protocol.ConnectionIds;
import io.shoal.tracker.protocol.TrustedProxies;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything a running shard needs to know, already validated. Built by the command line or by tests
 * through {@link #builder()}.
 */
public record ShardConfig(
        List<String> bindAddresses,
        int port,
        int adminPort,
        int internalPort,
        Duration interval,
        Duration minInterval,
        Duration peerTtl,
        int numwantDefault,
        int numwantMax,
        Path accessListFile,
        AccessMode accessMode,
        Duration accessListPoll,
        byte[] connectionIdKey,
        Duration connectionIdGrace,
        long maxTorrents,
        long maxPeers,
        boolean fullScrape,
        Duration fullScrapeRefresh,
        RateLimit fullScrapeRate,
        int rateLimiterMaxClients,
        int threads,
        Duration httpIdleTimeout,
        int maxHttpScrapeHashes,
        TransportKind transport,
        Duration downloadsRetention,
        Duration httpRequestTimeout,
        int httpMaxConnections,
        int httpMaxConnectionsPerAddress,
        String redisUri,
        Duration redisTimeout,
        TrustedProxies trustedProxies) {

    /** Address meaning "every address": dual-stack IPv6 wildcard (falls back to {@link #ANY_IPV4}). */
    public static final String ANY = "::";
    public static final String ANY_IPV4 = "0.0.0.0";
    /**
     * {@link #internalPort()} meaning "no internal port". Unlike the public ports, 0 cannot mean "any free port" here:
     * off must be the default, and tests that want an ephemeral internal port use {@link #EPHEMERAL_INTERNAL_PORT}.
     */
    public static final int NO_INTERNAL_PORT = 0;
    /** {@link #internalPort()} asking for a free port of the system's choosing (tests). */
    public static final int EPHEMERAL_INTERNAL_PORT = -1;
    /** No duration setting of a tracker needs more; bounding them keeps nanosecond arithmetic from overflowing. */
    static final Duration MAX_DURATION = Duration.ofDays(365);
    static final Duration MAX_DOWNLOADS_RETENTION = MAX_DURATION;
    /** Bounds the work and the reply of one HTTP announce (UDP replies are capped lower, to fit a datagram). */
    public static final int MAX_NUMWANT = 2000;

    public ShardConfig {
        bindAddresses = List.copyOf(bindAddresses);
        if (bindAddresses.isEmpty()) {
            throw new IllegalArgumentException("at least one bind address is needed");
        }
        requirePort("port", port);
        requirePort("admin port", adminPort);
        if (internalPort != EPHEMERAL_INTERNAL_PORT) {
            requirePort("internal port", internalPort);
        }
        requirePositive("interval", interval);
        requirePositive("min interval", minInterval);
        requirePositive("peer TTL", peerTtl);
        requirePositive("access list poll", accessListPoll);
        requirePositive("full scrape refresh", fullScrapeRefresh);
        requirePositive("HTTP idle timeout", httpIdleTimeout);
        requirePositive("HTTP request timeout", httpRequestTimeout);
        if (httpMaxConnections < 1 || httpMaxConnectionsPerAddress < 1) {
            throw new IllegalArgumentException("HTTP connection limits must be at least 1");
        }
        Objects.requireNonNull(fullScrapeRate, "full scrape rate");
        requirePositive("full scrape rate period", fullScrapeRate.period());
        if (minInterval.compareTo(interval) > 0) {
            throw new IllegalArgumentException("min interval must not exceed interval");
        }
        if (peerTtl.compareTo(interval) <= 0) {
            throw new IllegalArgumentException("peer TTL must be longer than the interval, or peers expire between announces");
        }
        if (connectionIdGrace == null || connectionIdGrace.isNegative()
                || connectionIdGrace.compareTo(ConnectionIds.MAX_GRACE) > 0) {
            throw new IllegalArgumentException("connection id grace must be between 0 and "
                    + Durations.format(ConnectionIds.MAX_GRACE));
        }
        if (numwantDefault < 0) {
            throw new IllegalArgumentException("numwant default must not be negative");
        }
        if (numwantMax < 1 || numwantMax > MAX_NUMWANT) {
            throw new IllegalArgumentException("numwant max must be 1.." + MAX_NUMWANT + ", got " + numwantMax);
        }
        if (numwantDefault > numwantMax) {
            throw new IllegalArgumentException("numwant default must not exceed numwant max");
        }
        if (accessMode == AccessMode.ALLOW && accessListFile == null) {
            throw new IllegalArgumentException("allow mode needs an access list file (it would refuse every torrent)");
        }
        if (connectionIdKey == null || connectionIdKey.length != 16) {
            throw new IllegalArgumentException("connection id key must be 16 bytes");
        }
        connectionIdKey = connectionIdKey.clone();
        if (maxTorrents < 1 || maxPeers < 1) {
            throw new IllegalArgumentException("max torrents and max peers must be positive");
        }
        if (rateLimiterMaxClients < 1) {
            throw new IllegalArgumentException("rate limiter must track at least one client");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        if (maxHttpScrapeHashes < 1) {
            throw new IllegalArgumentException("max scrape hashes must be at least 1");
        }
        Objects.requireNonNull(accessMode, "access mode");
        Objects.requireNonNull(transport, "transport");
        if (redisUri != null) {
            requireRedisUri(redisUri);
        }
        requirePositive("Redis timeout", redisTimeout);
        Objects.requireNonNull(trustedProxies, "trusted proxies");
        if (downloadsRetention == null || downloadsRetention.isNegative()
                || downloadsRetention.compareTo(MAX_DOWNLOADS_RETENTION) > 0) {
            throw new IllegalArgumentException("downloads retention must be between 0 and "
                    + Durations.format(MAX_DOWNLOADS_RETENTION));
        }
    }

    /** redis://[user:password@]host[:port][/db] or rediss:// (TLS); anything else would only fail when connecting. */
    private static void requireRedisUri(String uri) {
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Redis URI is not a URI: " + e.getReason());
        }
        if (!"redis".equals(parsed.getScheme()) && !"rediss".equals(parsed.getScheme())) {
            throw new IllegalArgumentException("Redis URI must start with redis:// or rediss://");
        }
        if (parsed.getHost() == null) {
            throw new IllegalArgumentException("Redis URI has no host");
        }
        String path = parsed.getPath();
        if (path != null && !path.isEmpty() && !path.matches("/\\d{1,2}")) {
            throw new IllegalArgumentException("Redis URI path must be a database number, e.g. /0");
        }
    }

    /** Whether the internal port (PROXY v2 datagrams from the ingress, HTTP from it) is to be opened. */
    public boolean hasInternalPort() {
        return internalPort != NO_INTERNAL_PORT;
    }

    /** Whether peers live in Redis rather than in this process. */
    public boolean usesRedis() {
        return redisUri != null;
    }

    private static void requirePort(String what, int p) {
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException(what + " must be 0..65535, got " + p);
        }
    }

    /** Positive and at most {@link #MAX_DURATION}, so that no time arithmetic downstream can overflow. */
    private static void requirePositive(String what, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive");
        }
        if (d.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException(what + " must be at most " + Durations.format(MAX_DURATION));
        }
    }

    @Override
    public byte[] connectionIdKey() {
        return connectionIdKey.clone();
    }

    public PeerStoreConfig peerStoreConfig() {
        return PeerStoreConfig.defaults().withPeerTtl(peerTtl).withLimits(maxTorrents, maxPeers)
                .withDownloadsRetention(downloadsRetention);
    }

    /** How often expired peers are dropped: every min(60 s, TTL / 10), at least once a second. */
    public Duration expirePeriod() {
        Duration tenth = peerTtl.dividedBy(10);
        Duration p = tenth.compareTo(Duration.ofSeconds(60)) < 0 ? tenth : Duration.ofSeconds(60);
        return p.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : p;
    }

    @Override
    public String toString() {
        // The key stays out of logs.
        return "ShardConfig[bind=" + bindAddresses + ", port=" + port + ", adminPort=" + adminPort
                + ", internalPort=" + (internalPort == NO_INTERNAL_PORT ? "off" : internalPort)
                + ", interval=" + Durations.format(interval) + ", minInterval=" + Durations.format(minInterval)
                + ", peerTtl=" + Durations.format(peerTtl) + ", numwant=" + numwantDefault + "/" + numwantMax
                + ", accessList=" + accessListFile + " (" + accessMode + ")"
                + ", maxTorrents=" + maxTorrents + ", maxPeers=" + maxPeers
                + ", downloadsRetention=" + Durations.format(downloadsRetention)
                + ", fullScrape=" + (fullScrape ? "on every " + Durations.format(fullScrapeRefresh) + ", " + fullScrapeRate
                        + " per client" : "off")
                + ", http=timeouts " + Durations.format(httpRequestTimeout) + "/" + Durations.format(httpIdleTimeout)
                + ", max " + httpMaxConnections + " connections, " + httpMaxConnectionsPerAddress + " per address"
                + ", store=" + (redisUri == null ? "memory" : "redis (timeout " + Durations.format(redisTimeout) + ")")
                + ", trustedProxies=" + trustedProxies
                + ", threads=" + threads + ", transport=" + transport + "]";
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults are the command line's defaults. */
    public static final class Builder {
        private List<String> bindAddresses = List.of(ANY);
        private int port = 6969;
        private int adminPort = 9090;
        private int internalPort = NO_INTERNAL_PORT;
        private Duration interval = Duration.ofMinutes(30);
        private Duration minInterval = Duration.ofMinutes(15);
        private Duration peerTtl = PeerStoreConfig.DEFAULT_PEER_TTL;
        private int numwantDefault = 50;
        private int numwantMax = 200;
        private Path accessListFile;
        private AccessMode accessMode = AccessMode.DENY;
        private Duration accessListPoll = Duration.ofSeconds(3);
        private byte[] connectionIdKey;
        private Duration connectionIdGrace = Duration.ofSeconds(60);
        private long maxTorrents = PeerStoreConfig.DEFAULT_MAX_TORRENTS;
        private long maxPeers = PeerStoreConfig.DEFAULT_MAX_PEERS;
        private boolean fullScrape = true;
        private Duration fullScrapeRefresh = Duration.ofSeconds(10);
        private RateLimit fullScrapeRate = new RateLimit(1, Duration.ofSeconds(10));
        private int rateLimiterMaxClients = 100_000;
        private int threads = Runtime.getRuntime().availableProcessors();
        private Duration httpIdleTimeout = Duration.ofSeconds(30);
        private int maxHttpScrapeHashes = 128;
        private TransportKind transport = TransportKind.AUTO;
        private Duration downloadsRetention = PeerStoreConfig.DEFAULT_DOWNLOADS_RETENTION;
        private Duration httpRequestTimeout = Duration.ofSeconds(10);
        private int httpMaxConnections = 20_000;
        private int httpMaxConnectionsPerAddress = 256;
        private String redisUri;
        private Duration redisTimeout = Duration.ofSeconds(1);
        private TrustedProxies trustedProxies = TrustedProxies.NONE;

        private Builder() {
        }

        public Builder bind(List<String> v) { bindAddresses = v; return this; }
        public Builder bind(String... v) { bindAddresses = List.of(v); return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder adminPort(int v) { adminPort = v; return this; }
        public Builder internalPort(int v) { internalPort = v; return this; }
        public Builder interval(Duration v) { interval = v; return this; }
        public Builder minInterval(Duration v) { minInterval = v; return this; }
        public Builder peerTtl(Duration v) { peerTtl = v; return this; }
        public Builder numwantDefault(int v) { numwantDefault = v; return this; }
        public Builder numwantMax(int v) { numwantMax = v; return this; }
        public Builder accessList(Path file, AccessMode mode) { accessListFile = file; accessMode = mode; return this; }
        public Builder accessListPoll(Duration v) { accessListPoll = v; return this; }
        public Builder connectionIdKey(byte[] v) { connectionIdKey = v; return this; }
        public Builder connectionIdGrace(Duration v) { connectionIdGrace = v; return this; }
        public Builder maxTorrents(long v) { maxTorrents = v; return this; }
        public Builder maxPeers(long v) { maxPeers = v; return this; }
        public Builder fullScrape(boolean v) { fullScrape = v; return this; }
        public Builder fullScrapeRefresh(Duration v) { fullScrapeRefresh = v; return this; }
        public Builder fullScrapeRate(RateLimit v) { fullScrapeRate = v; return this; }
        public Builder rateLimiterMaxClients(int v) { rateLimiterMaxClients = v; return this; }
        public Builder threads(int v) { threads = v; return this; }
        public Builder httpIdleTimeout(Duration v) { httpIdleTimeout = v; return this; }
        public Builder maxHttpScrapeHashes(int v) { maxHttpScrapeHashes = v; return this; }
        public Builder transport(TransportKind v) { transport = v; return this; }
        public Builder downloadsRetention(Duration v) { downloadsRetention = v; return this; }
        public Builder httpRequestTimeout(Duration v) { httpRequestTimeout = v; return this; }
        public Builder httpMaxConnections(int v) { httpMaxConnections = v; return this; }
        public Builder httpMaxConnectionsPerAddress(int v) { httpMaxConnectionsPerAddress = v; return this; }
        public Builder redis(String uri) { redisUri = uri; return this; }
        public Builder redisTimeout(Duration v) { redisTimeout = v; return this; }
        public Builder trustedProxies(TrustedProxies v) { trustedProxies = v; return this; }

        /** A random connection id key is drawn when none was given (ids then only validate in this process). */
        public ShardConfig build() {
            byte[] key = connectionIdKey != null ? connectionIdKey : ConnectionIds.randomKey();
            return new ShardConfig(bindAddresses, port, adminPort, internalPort, interval, minInterval, peerTtl, numwantDefault,
                    numwantMax, accessListFile, accessMode, accessListPoll, key, connectionIdGrace, maxTorrents,
                    maxPeers, fullScrape, fullScrapeRefresh, fullScrapeRate, rateLimiterMaxClients, threads,
                    httpIdleTimeout, maxHttpScrapeHashes, transport, downloadsRetention, httpRequestTimeout,
                    httpMaxConnections, httpMaxConnectionsPerAddress, redisUri, redisTimeout, trustedProxies);
        }
    }
}
