package io.shoal.tracker.cli;

import io.shoal.tracker.cli.Converters.DurationConverter;
import io.shoal.tracker.cli.Converters.OnOffConverter;
import io.shoal.tracker.cli.Converters.RateConverter;
import io.shoal.tracker.peers.PeerStoreConfig;
import io.shoal.tracker.protocol.TrustedProxies;
import io.shoal.tracker.server.AccessMode;
import io.shoal.tracker.server.PeerStoreFactory;
import io.shoal.tracker.server.RateLimit;
import io.shoal.tracker.server.ShardConfig;
import io.shoal.tracker.server.ShardRuntime;
import io.shoal.tracker.server.TransportKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code shoal shard}: a complete tracker (UDP + HTTP + admin) on one peer store. */
@Command(name = "shard",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = "Runs a tracker shard: BitTorrent UDP (BEP 15) and HTTP (BEP 3/23/7/48) on one port number, "
                + "with health, readiness, Prometheus metrics and stats on the admin port. "
                + "Peers are kept in memory, or in Redis with --redis.",
        footer = {"%nDurations are seconds or take a unit: 500ms, 30s, 5m, 2h.",
                "The UDP connection id key is read from --connection-id-key-file or the environment variable "
                        + "SHOAL_CONNECTION_ID_KEY (32 hex digits or base64 of 16 bytes); shards and ingresses that "
                        + "share it accept each other's connection ids. Without one a random key is used."})
public final class ShardCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ShardCommand.class);
    static final String KEY_VARIABLE = ConnectionIdKeys.VARIABLE;

    private final Map<String, String> env;

    @Spec
    private CommandSpec spec;

    @Option(names = "--bind", split = ",", paramLabel = "ADDR", defaultValue = ShardConfig.ANY,
            description = "Addresses to listen on; :: is every address, IPv4 and IPv6 (0.0.0.0 where IPv6 is off). "
                    + "Env SHOAL_BIND. Default: ${DEFAULT-VALUE}.")
    private List<String> bind;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "6969",
            description = "UDP and HTTP port (the same number for both; 0 picks free ports). "
                    + "Env SHOAL_PORT. Default: ${DEFAULT-VALUE}.")
    private int port;

    @Option(names = "--admin-port", paramLabel = "PORT", defaultValue = "9090",
            description = "Port of /healthz, /readyz, /metrics and /stats. Env SHOAL_ADMIN_PORT. Default: ${DEFAULT-VALUE}.")
    private int adminPort;

    @Option(names = "--internal-port", paramLabel = "PORT", defaultValue = "0",
            description = "Port where an ingress forwards to this shard: UDP there takes only datagrams with a PROXY "
                    + "protocol v2 header (the client's address) and answers the sender; TCP there serves the same "
                    + "HTTP tracker. Keep it off the public network. 0 = off. "
                    + "Env SHOAL_INTERNAL_PORT. Default: ${DEFAULT-VALUE}.")
    private int internalPort;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "30m", converter = DurationConverter.class,
            description = "Re-announce interval told to clients (plus up to 5%% so swarms spread out). "
                    + "Env SHOAL_INTERVAL. Default: ${DEFAULT-VALUE}.")
    private Duration interval;

    @Option(names = "--min-interval", paramLabel = "DURATION", defaultValue = "15m", converter = DurationConverter.class,
            description = "Minimum re-announce interval told to HTTP clients. Env SHOAL_MIN_INTERVAL. Default: ${DEFAULT-VALUE}.")
    private Duration minInterval;

    @Option(names = "--peer-ttl", paramLabel = "DURATION", defaultValue = "45m", converter = DurationConverter.class,
            description = "A peer is dropped this long after its last announce. Env SHOAL_PEER_TTL. Default: ${DEFAULT-VALUE}.")
    private Duration peerTtl;

    @Option(names = "--numwant-default", paramLabel = "N", defaultValue = "50",
            description = "Peers returned when the client does not say. Env SHOAL_NUMWANT_DEFAULT. Default: ${DEFAULT-VALUE}.")
    private int numwantDefault;

    @Option(names = "--numwant-max", paramLabel = "N", defaultValue = "200",
            description = "Most peers returned for one announce, 1..2000 (UDP replies carry at most 200 IPv4 or 66 IPv6 "
                    + "peers, to fit one datagram). Env SHOAL_NUMWANT_MAX. Default: ${DEFAULT-VALUE}.")
    private int numwantMax;

    @Option(names = "--access-list", paramLabel = "FILE",
            description = "Infohash list, one 40-hex-digit hash per line (# comments); reloaded when it changes. "
                    + "Env SHOAL_ACCESS_LIST. Default: none (every torrent served).")
    private Path accessList;

    @Option(names = "--access-mode", paramLabel = "allow|deny", defaultValue = "deny",
            description = "allow: serve only listed torrents; deny: refuse listed torrents. "
                    + "Env SHOAL_ACCESS_MODE. Default: ${DEFAULT-VALUE}.")
    private AccessMode accessMode;

    @Option(names = "--connection-id-key-file", paramLabel = "FILE",
            description = "File holding the UDP connection id key (32 hex digits or base64 of 16 bytes). "
                    + "Env SHOAL_CONNECTION_ID_KEY_FILE. Default: none (SHOAL_CONNECTION_ID_KEY, else random).")
    private Path connectionIdKeyFile;

    @Option(names = "--connection-id-grace", paramLabel = "DURATION", defaultValue = "60s",
            converter = DurationConverter.class,
            description = "How long past BEP 15's two minutes a UDP connection id is still accepted. "
                    + "Env SHOAL_CONNECTION_ID_GRACE. Default: ${DEFAULT-VALUE}.")
    private Duration connectionIdGrace;

    @Option(names = "--max-torrents", paramLabel = "N", defaultValue = "" + PeerStoreConfig.DEFAULT_MAX_TORRENTS,
            description = "Most torrents kept; announces that would add more are refused. "
                    + "Env SHOAL_MAX_TORRENTS. Default: ${DEFAULT-VALUE}.")
    private long maxTorrents;

    @Option(names = "--max-peers", paramLabel = "N", defaultValue = "" + PeerStoreConfig.DEFAULT_MAX_PEERS,
            description = "Most peers kept over all torrents; announces that would add more are refused. "
                    + "Env SHOAL_MAX_PEERS. Default: ${DEFAULT-VALUE}.")
    private long maxPeers;

    @Option(names = "--downloads-retention", paramLabel = "DURATION", defaultValue = "7d",
            converter = DurationConverter.class,
            description = "A torrent whose last peer left keeps its completed-download count this long (scrape still "
                    + "reports it); such torrents count toward --max-torrents and give way to new ones. 0 keeps none. "
                    + "Env SHOAL_DOWNLOADS_RETENTION. Default: ${DEFAULT-VALUE}.")
    private Duration downloadsRetention;

    @Option(names = "--full-scrape", paramLabel = "on|off", defaultValue = "on", arity = "1",
            converter = OnOffConverter.class,
            description = "Answer /scrape without info_hash with every torrent. Env SHOAL_FULL_SCRAPE. Default: ${DEFAULT-VALUE}.")
    private boolean fullScrape;

    @Option(names = "--full-scrape-refresh", paramLabel = "DURATION", defaultValue = "10s",
            converter = DurationConverter.class,
            description = "The full scrape is rebuilt at most this often. Env SHOAL_FULL_SCRAPE_REFRESH. Default: ${DEFAULT-VALUE}.")
    private Duration fullScrapeRefresh;

    @Option(names = "--full-scrape-rate", paramLabel = "N/DURATION", defaultValue = "1/10s",
            converter = RateConverter.class,
            description = "Full scrapes allowed per client address (IPv6: per /64); more get HTTP 429. "
                    + "Env SHOAL_FULL_SCRAPE_RATE. Default: ${DEFAULT-VALUE}.")
    private RateLimit fullScrapeRate;

    @Option(names = "--threads", paramLabel = "N",
            description = "Event-loop threads (with epoll, one UDP socket each). "
                    + "Env SHOAL_THREADS. Default: the number of CPU cores, ${DEFAULT-VALUE} here.")
    private int threads = Runtime.getRuntime().availableProcessors();

    @Mixin
    private HttpLimitOptions httpLimits = new HttpLimitOptions();

    @Option(names = "--redis", paramLabel = "URI",
            description = "Keep peers in Redis (redis://host:port[/db], rediss:// for TLS) instead of in memory; "
                    + "every shard process on the same Redis serves the same swarms. Env SHOAL_REDIS. "
                    + "Default: none (peers in memory).")
    private String redis;

    @Option(names = "--redis-timeout", paramLabel = "DURATION", defaultValue = "1s", converter = DurationConverter.class,
            description = "How long a request waits for Redis before it is answered with an error. "
                    + "Env SHOAL_REDIS_TIMEOUT. Default: ${DEFAULT-VALUE}.")
    private Duration redisTimeout;

    @Option(names = "--trusted-proxy", split = ",", paramLabel = "CIDR",
            description = "Proxy networks (e.g. the ingress's: 10.0.0.0/8, fd00::/8; a bare address is one host) whose "
                    + "HTTP requests name their client in X-Forwarded-For: the client is the right-most entry not itself "
                    + "trusted (an entry there that is not an address fails the request). Repeatable or comma-separated. "
                    + "Requests from anywhere else are taken from their TCP peer. Env SHOAL_TRUSTED_PROXY. "
                    + "Default: none trusted.")
    private List<String> trustedProxies = List.of();

    @Option(names = "--transport", paramLabel = "auto|epoll|nio", defaultValue = "auto",
            description = "Network transport; auto uses epoll where available. Env SHOAL_TRANSPORT. Default: ${DEFAULT-VALUE}.")
    private TransportKind transport;

    public ShardCommand(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Override
    public Integer call() throws Exception {
        ShardConfig config = toConfig();
        ShardRuntime runtime;
        try {
            runtime = start(config);
        } catch (Exception e) {
            LOG.error("Could not start the shard: {}", e.toString());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runtime.close();
            stopped.countDown();
        }, "shoal-shutdown"));
        stopped.await();
        return 0;
    }

    /** Starts the shard described by the parsed options (the caller closes it). */
    ShardRuntime start(ShardConfig config) throws Exception {
        ShardRuntime runtime = ShardRuntime.start(config, PeerStoreFactory.create(config));
        LOG.info("Serving: udp port {}, http port {}, admin port {}, internal port {}, transport {}",
                runtime.udpPort(), runtime.httpPort(), runtime.adminPort(),
                config.hasInternalPort() ? runtime.internalUdpPort() : "off", runtime.transportName());
        return runtime;
    }

    /**
     * The options as a validated config; a bad combination is a usage error (exit code 2). Public so that
     * what builds this command line elsewhere (the operator's pod specs) can be checked against it.
     */
    public ShardConfig toConfig() {
        requireReadableAccessList();
        BindAddresses.requireResolvable(bind, spec.commandLine());
        try {
            return httpLimits.applyTo(ShardConfig.builder())
                    .bind(bind)
                    .port(port)
                    .adminPort(adminPort)
                    .internalPort(internalPort)
                    .interval(interval)
                    .minInterval(minInterval)
                    .peerTtl(peerTtl)
                    .numwantDefault(numwantDefault)
                    .numwantMax(numwantMax)
                    .accessList(accessList, accessMode)
                    .connectionIdKey(connectionIdKey())
                    .connectionIdGrace(connectionIdGrace)
                    .maxTorrents(maxTorrents)
                    .maxPeers(maxPeers)
                    .downloadsRetention(downloadsRetention)
                    .fullScrape(fullScrape)
                    .fullScrapeRefresh(fullScrapeRefresh)
                    .fullScrapeRate(fullScrapeRate)
                    .threads(threads)
                    .transport(transport)
                    .redis(redis)
                    .redisTimeout(redisTimeout)
                    .trustedProxies(TrustedProxies.parse(trustedProxies))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid settings: " + e.getMessage());
        }
    }

    /** A wrong path is a usage error here rather than a failed start (the file is read when the shard starts). */
    private void requireReadableAccessList() {
        if (accessList != null && !(Files.isRegularFile(accessList) && Files.isReadable(accessList))) {
            throw new ParameterException(spec.commandLine(), "Access list " + accessList + " is not a readable file");
        }
    }

    /** Null when no key is configured (the config then draws a random one). */
    private byte[] connectionIdKey() {
        return ConnectionIdKeys.load(connectionIdKeyFile, env, spec.commandLine());
    }

    CommandLine commandLine() {
        return spec.commandLine();
    }
}
