package io.shoal.tracker.cli;

import io.shoal.tracker.cli.Converters.DurationConverter;
import io.shoal.tracker.ingress.IngressConfig;
import io.shoal.tracker.ingress.IngressRuntime;
import io.shoal.tracker.ingress.UdpIngressSettings;
import io.shoal.tracker.ingress.http.HttpIngressSettings;
import io.shoal.tracker.server.ShardConfig;
import io.shoal.tracker.server.TransportKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Security;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code shoal ingress}: routes UDP and HTTP tracker traffic to the shard that owns each infohash. */
@Command(name = "ingress",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = "Runs the ingress in front of the shards: answers BEP 15 connect itself, forwards announce and "
                + "scrape to the owning shard's internal port (PROXY protocol v2 header with the client's address), "
                + "splits scrapes over shards and merges the answers; HTTP on the same port is proxied to the "
                + "shard's internal port with X-Forwarded-For. Health, readiness, Prometheus metrics and "
                + "stats on the admin port.",
        footer = {"%nDurations are seconds or take a unit: 500ms, 30s, 5m, 2h.",
                "The connection id key must be the shards' key: from --connection-id-key-file or the environment "
                        + "variable SHOAL_CONNECTION_ID_KEY (32 hex digits or base64 of 16 bytes).",
                "Every option can be set with an environment variable SHOAL_<OPTION_NAME>, e.g. SHOAL_ROUTING."})
public final class IngressCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(IngressCommand.class);

    private final Map<String, String> env;

    @Spec
    private CommandSpec spec;

    @Option(names = "--bind", split = ",", paramLabel = "ADDR", defaultValue = ShardConfig.ANY,
            description = "Addresses to listen on; :: is every address, IPv4 and IPv6. Env SHOAL_BIND. "
                    + "Default: ${DEFAULT-VALUE}.")
    private List<String> bind;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "6969",
            description = "Public UDP (and HTTP) port. Env SHOAL_PORT. Default: ${DEFAULT-VALUE}.")
    private int port;

    @Option(names = "--admin-port", paramLabel = "PORT", defaultValue = "9090",
            description = "Port of /healthz, /readyz, /metrics and /stats. Env SHOAL_ADMIN_PORT. Default: ${DEFAULT-VALUE}.")
    private int adminPort;

    @Option(names = "--routing", paramLabel = "FILE|configmap:NAME",
            description = "The routing document (JSON slot map with each shard's internal endpoint): a file, re-read "
                    + "when it changes, or configmap:NAME, key routing.json, watched through the Kubernetes API in "
                    + "the pod's namespace. A bad or older document is logged and the current routes kept. "
                    + "Env SHOAL_ROUTING. Required.")
    private String routing;

    @Option(names = "--connection-id-key-file", paramLabel = "FILE",
            description = "File holding the shards' UDP connection id key. Env SHOAL_CONNECTION_ID_KEY_FILE. "
                    + "Default: none (then SHOAL_CONNECTION_ID_KEY must be set).")
    private Path connectionIdKeyFile;

    @Option(names = "--connection-id-grace", paramLabel = "DURATION", defaultValue = "60s",
            converter = DurationConverter.class,
            description = "How long past BEP 15's two minutes a connection id is still accepted; keep it equal to "
                    + "the shards'. Env SHOAL_CONNECTION_ID_GRACE. Default: ${DEFAULT-VALUE}.")
    private Duration connectionIdGrace;

    @Option(names = "--forward-timeout", paramLabel = "DURATION", defaultValue = "2s",
            converter = DurationConverter.class,
            description = "How long a forwarded request waits for its shard before the client gets an error. Longer "
                    + "than a shard's own Redis timeout (1s by default), so a shard's error arrives first; far below "
                    + "a client's first retry (15s). Env SHOAL_FORWARD_TIMEOUT. Default: ${DEFAULT-VALUE}.")
    private Duration forwardTimeout;

    @Option(names = "--resolve-interval", paramLabel = "DURATION", defaultValue = "5s",
            converter = DurationConverter.class,
            description = "Shard host names are resolved again this often (all addresses: one per replica). "
                    + "Env SHOAL_RESOLVE_INTERVAL. Default: ${DEFAULT-VALUE}.")
    private Duration resolveInterval;

    @Option(names = "--max-pending", paramLabel = "N", defaultValue = "65536",
            description = "Most UDP requests waiting for shards at once; more are answered with an error. "
                    + "Env SHOAL_MAX_PENDING. Default: ${DEFAULT-VALUE}.")
    private int maxPending;

    @Mixin
    private HttpLimitOptions httpLimits = new HttpLimitOptions();

    @Option(names = "--threads", paramLabel = "N",
            description = "Event-loop threads (with epoll, one public UDP socket each). "
                    + "Env SHOAL_THREADS. Default: the number of CPU cores, ${DEFAULT-VALUE} here.")
    private int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--transport", paramLabel = "auto|epoll|nio", defaultValue = "auto",
            description = "Network transport; auto uses epoll where available. Env SHOAL_TRANSPORT. Default: ${DEFAULT-VALUE}.")
    private TransportKind transport;

    public IngressCommand(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Override
    public Integer call() throws Exception {
        // Before the first lookup, which may fix the JVM's caching policy for good.
        limitDnsCaching();
        IngressConfig config = toConfig();
        IngressRuntime runtime;
        try {
            runtime = IngressRuntime.start(config);
        } catch (Exception e) {
            LOG.error("Could not start the ingress: {}", e.toString());
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

    /**
     * The JVM caches host lookups for 30 s by default, which would hide a headless Service's new pods from
     * {@code --resolve-interval}. Unless the operator of the JVM chose a policy, answers live for one second.
     */
    static void limitDnsCaching() {
        if (Security.getProperty("networkaddress.cache.ttl") == null
                && System.getProperty("sun.net.inetaddr.ttl") == null) {
            Security.setProperty("networkaddress.cache.ttl", "1");
        }
        if (Security.getProperty("networkaddress.cache.negative.ttl") == null
                || "10".equals(Security.getProperty("networkaddress.cache.negative.ttl"))) {
            Security.setProperty("networkaddress.cache.negative.ttl", "1");
        }
    }

    /**
     * The options as a validated config; a bad combination is a usage error (exit code 2). Public so that
     * what builds this command line elsewhere (the operator's pod specs) can be checked against it.
     */
    public IngressConfig toConfig() {
        byte[] key = ConnectionIdKeys.load(connectionIdKeyFile, env, spec.commandLine());
        if (key == null) {
            throw new ParameterException(spec.commandLine(), "The ingress needs the shards' connection id key: "
                    + "--connection-id-key-file or " + ConnectionIdKeys.VARIABLE);
        }
        if (routing == null) {
            throw new ParameterException(spec.commandLine(), "--routing FILE or --routing configmap:NAME is needed");
        }
        if (!routing.startsWith(IngressConfig.CONFIGMAP_PREFIX) && !Files.isRegularFile(Path.of(routing))) {
            throw new ParameterException(spec.commandLine(), "Routing file " + routing + " does not exist");
        }
        BindAddresses.requireResolvable(bind, spec.commandLine());
        try {
            UdpIngressSettings udp = new UdpIngressSettings(forwardTimeout, maxPending, key, connectionIdGrace);
            HttpIngressSettings http = httpLimits.applyTo(HttpIngressSettings.builder())
                    .forwardTimeout(forwardTimeout).build();
            return IngressConfig.withRouting(routing, bind, port, adminPort, udp, http, resolveInterval, threads,
                    transport);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid settings: " + e.getMessage());
        }
    }
}
