package io.shoal.tracker.server;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shoal.tracker.peers.PeerStore;
import io.shoal.tracker.protocol.ConnectionIds;
import java.net.InetAddress;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running shard: the store, policy, public sockets, admin port and the periodic jobs (peer expiry,
 * access-list reload, full-scrape builds), started together and stopped together. Owns the store it is
 * given and closes it last.
 */
public final class ShardRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ShardRuntime.class);

    private final ShardConfig config;
    private final PeerStore store;
    private final PrometheusMeterRegistry registry;
    private final TrackerMetrics metrics;
    private final PeriodicJobs jobs;
    private final AccessListWatcher accessListWatcher;
    private final Supplier<AccessList> accessList;
    private final TrackerService service;
    private ShardServer server;
    private AdminServer admin;

    private ShardRuntime(ShardConfig config, PeerStore store) throws Exception {
        this.config = config;
        this.store = store;
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.metrics = new TrackerMetrics(registry, store);
        this.jobs = new PeriodicJobs("shoal-jobs");
        this.accessListWatcher = config.accessListFile() == null
                ? null : AccessListWatcher.open(config.accessListFile(), config.accessMode());
        this.accessList = accessListWatcher == null ? () -> AccessList.OPEN : accessListWatcher::current;
        this.service = new TrackerService(store, accessList, config);
    }

    /** Starts everything or nothing: on failure what was started is stopped again (the store too). */
    public static ShardRuntime start(ShardConfig config, PeerStore store) throws Exception {
        ShardRuntime runtime;
        try {
            runtime = new ShardRuntime(config, store);
        } catch (Exception | Error e) {
            store.close();
            throw e;
        }
        try {
            runtime.startServing();
            return runtime;
        } catch (Exception | Error e) {
            runtime.close();
            throw e;
        }
    }

    private void startServing() throws Exception {
        Transport transport = Transport.select(config.transport());
        ConnectionIds connectionIds = new ConnectionIds(config.connectionIdKey(), config.connectionIdGrace());
        FullScrapeCache fullScrape = config.fullScrape()
                ? new FullScrapeCache(store, accessList, config.fullScrapeRefresh(), jobs.executor()) : null;
        ClientRateLimiter limiter = new ClientRateLimiter(config.fullScrapeRate(), config.rateLimiterMaxClients());

        UdpTrackerHandler udp = new UdpTrackerHandler(service, connectionIds, metrics,
                () -> System.currentTimeMillis() / 1000);
        HttpTracker http = new HttpTracker(service, metrics, fullScrape, limiter, config);
        HttpConnectionLimit connectionLimit = new HttpConnectionLimit(config.httpMaxConnections(),
                config.httpMaxConnectionsPerAddress(), registry);
        // Resolved once: each resolve does DNS and, for the IPv6 wildcard, opens a probe socket.
        List<InetAddress> addresses = BindAddresses.resolve(config.bindAddresses());
        ProxiedUdpHandler internalUdp = null;
        HttpConnectionLimit internalLimit = null;
        if (config.hasInternalPort()) {
            internalUdp = new ProxiedUdpHandler(udp, registry);
            // Only ingresses connect here, each holding a pool of connections, so a per-address limit meant for
            // clients would cap an ingress; the total still bounds the descriptors the port can take.
            internalLimit = new HttpConnectionLimit(config.httpMaxConnections(), config.httpMaxConnections(),
                    registry, "shoal.internal.http.connections");
        }
        server = ShardServer.start(config, addresses, transport,
                new ShardServer.Handlers(udp, http, connectionLimit, internalUdp, internalLimit));

        ShardServer s = server;
        admin = AdminServer.start(addresses, config.adminPort(), transport,
                new ShardAdminPages(registry, metrics, store, s::isBound));

        jobs.every(config.expirePeriod(), store::expire);
        if (accessListWatcher != null) {
            jobs.every(config.accessListPoll(), accessListWatcher::poll);
        }
        LOG.info("Shard started: {}", config);
    }


    public int udpPort() {
        return server.udpPort();
    }

    public int httpPort() {
        return server.httpPort();
    }

    /** The internal UDP port (PROXY v2 from the ingress), 0 when there is none. */
    public int internalUdpPort() {
        return server.internalUdpPort();
    }

    /** The internal HTTP port, 0 when there is none. */
    public int internalHttpPort() {
        return server.internalHttpPort();
    }

    public int adminPort() {
        return admin.port();
    }

    public boolean isReady() {
        return server != null && server.isBound() && store.isReady();
    }

    public TrackerMetrics metrics() {
        return metrics;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public ShardConfig config() {
        return config;
    }

    public String transportName() {
        return server.transport().name();
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close();
        }
        if (server != null) {
            server.close();
        }
        jobs.close();
        metrics.close();
        registry.close();
        store.close();
        LOG.info("Shard stopped");
    }
}
