package io.shoal.tracker.loadgen;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code loadgen}: a BEP 15 (or HTTP) load generator that validates every reply. Simulated clients (distinct peer ids and
 * ports, each with its own connection id) announce and scrape a set of torrents through a bounded window of
 * requests in flight; the run stops by itself after {@code --requests} or {@code --duration}.
 *
 * <p>Exit code 0 when every reply was valid and errors and timeouts stayed within their thresholds, 1 otherwise,
 * 2 for bad arguments.
 */
@Command(name = "loadgen", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Drives a UDP (BEP 15) tracker with announces and scrapes and validates every reply.",
                "Phases: connect every client, warm up (announce every swarm member once), measured load."})
public final class LoadgenCommand implements Callable<Integer> {

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Tracker address (default: ${DEFAULT-VALUE}).")
    private String host;

    @Option(names = "--port", description = "Tracker UDP port.")
    private Integer port;

    @Option(names = "--protocol", defaultValue = "UDP",
            description = "UDP (BEP 15) or HTTP (announce/scrape over TCP) (default: ${DEFAULT-VALUE}).")
    private LoadConfig.Protocol protocol;

    @Option(names = "--http-close",
            description = "HTTP: a new connection per request (Connection: close) instead of keep-alive.")
    private boolean httpClose;

    @Option(names = "--zipf", defaultValue = "0",
            description = {"Popularity of torrents: the torrent of rank r is asked about with weight 1/r^S;",
                    "0 is uniform (default: ${DEFAULT-VALUE}). 1 is a typical long tail."})
    private double zipf;

    @Option(names = "--target-pid", split = ",",
            description = {"Processes whose CPU (utime+stime from /proc) the measured phase is charged to,",
                    "e.g. a shard and its redis-server; repeatable or comma-separated."})
    private java.util.List<Long> targetPids = new java.util.ArrayList<>();

    @Option(names = "--clients", defaultValue = "1000", description = "Simulated clients (default: ${DEFAULT-VALUE}).")
    private int clients;

    @Option(names = "--torrents", defaultValue = "10000", description = "Torrents (default: ${DEFAULT-VALUE}).")
    private int torrents;

    @Option(names = "--peers-per-torrent", defaultValue = "20",
            description = "Mean swarm size; every 20th swarm is four times as big (default: ${DEFAULT-VALUE}).")
    private int peersPerTorrent;

    @Option(names = "--base-port", defaultValue = "20000",
            description = "Client i announces port base+i (default: ${DEFAULT-VALUE}).")
    private int basePort;

    @Option(names = "--requests", defaultValue = "200000",
            description = "Announces and scrapes in the measured phase (default: ${DEFAULT-VALUE}).")
    private long requests;

    @Option(names = "--duration", defaultValue = "30s", converter = DurationConverter.class,
            description = "Time limit of the measured phase, e.g. 30s, 500ms, 2m (default: ${DEFAULT-VALUE}).")
    private Duration duration;

    @Option(names = "--warmup-duration", defaultValue = "120s", converter = DurationConverter.class,
            description = "Time limit of the warm-up (default: ${DEFAULT-VALUE}).")
    private Duration warmupDuration;

    @Option(names = "--phase", defaultValue = "ALL",
            description = "ALL, WARMUP (warm-up only) or LOAD (assume a warm tracker: same seed) "
                    + "(default: ${DEFAULT-VALUE}).")
    private LoadConfig.Phase phase;

    @Option(names = "--window", defaultValue = "128",
            description = {"Requests in flight (default: ${DEFAULT-VALUE}); HTTP: one connection each.",
                    "A tracker socket's default receive buffer (~208 KiB) holds only a few hundred loopback",
                    "datagrams: larger UDP windows measure drops."})
    private int window;

    @Option(names = "--announce-percent", defaultValue = "80",
            description = "Share of announces; the rest are scrapes (default: ${DEFAULT-VALUE}).")
    private int announcePercent;

    @Option(names = "--scrape-hashes", defaultValue = "5",
            description = "Infohashes per scrape (default: ${DEFAULT-VALUE}).")
    private int scrapeHashes;

    @Option(names = "--numwant", defaultValue = "50", description = "numwant of announces (default: ${DEFAULT-VALUE}).")
    private int numwant;

    @Option(names = "--timeout", defaultValue = "2s", converter = DurationConverter.class,
            description = "Wait for each reply (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    @Option(names = "--connection-refresh", defaultValue = "60s", converter = DurationConverter.class,
            description = "Renew a client's connection id after this age (default: ${DEFAULT-VALUE}).")
    private Duration connectionRefresh;

    @Option(names = "--sockets", defaultValue = "2",
            description = "UDP sockets the clients are spread over (default: ${DEFAULT-VALUE}).")
    private int sockets;

    @Option(names = "--seed", description = "Seed of torrents, clients and traffic (default: random).")
    private Long seed;

    @Option(names = "--traffic-seed",
            description = "Seed of the request sequence alone, to send other requests to the same world "
                    + "(default: --seed).")
    private Long trafficSeed;

    @Option(names = "--allow-self-peer",
            description = "Do not call a reply invalid for returning the announcer itself (opentracker does that).")
    private boolean allowSelfPeer;

    @Option(names = "--allow-unsorted-keys",
            description = "HTTP: accept bencoded dictionaries with keys out of order (opentracker's scrape does that).")
    private boolean allowUnsortedKeys;

    @Option(names = "--lenient-peers",
            description = "Accept peers and counts outside the simulated swarms (a tracker shared with others).")
    private boolean lenientPeers;

    @Option(names = "--max-errors", defaultValue = "0",
            description = "Error replies and network errors tolerated (default: ${DEFAULT-VALUE}).")
    private long maxErrors;

    @Option(names = "--max-timeout-ratio", defaultValue = "0.001",
            description = "Timed-out share of requests tolerated (default: ${DEFAULT-VALUE}).")
    private double maxTimeoutRatio;

    @Option(names = "--json", description = "Print the summary as JSON instead of text.")
    private boolean json;

    @Option(names = "--json-file", description = "Also write the JSON summary to this file.")
    private Path jsonFile;

    @Option(names = "--write-infohashes",
            description = "Write the torrents' infohashes (hex, one a line; an opentracker whitelist) and exit.")
    private Path infohashFile;

    private LoadReport report;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadgenCommand()).execute(args));
    }

    /** The report of the last run, or null when none ran. */
    public LoadReport report() {
        return report;
    }

    @Override
    public Integer call() throws IOException {
        long runSeed = seed != null ? seed : new SecureRandom().nextLong();
        PrintWriter out = spec.commandLine().getOut();
        if (infohashFile != null) {
            Workload workload = new Workload(runSeed, clients, torrents, peersPerTorrent, basePort);
            StringBuilder text = new StringBuilder(torrents * 41);
            for (int t = 0; t < torrents; t++) {
                text.append(workload.infoHashHex(t)).append('\n');
            }
            Files.writeString(infohashFile, text, StandardCharsets.US_ASCII);
            return 0;
        }
        if (port == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port is required");
        }
        LoadConfig config;
        try {
            config = new LoadConfig(new InetSocketAddress(InetAddress.getByName(host), port), clients, torrents,
                    peersPerTorrent, basePort, requests, duration, warmupDuration, window, announcePercent,
                    scrapeHashes, numwant, timeout, connectionRefresh, sockets, runSeed,
                    trafficSeed != null ? trafficSeed : runSeed, phase, allowSelfPeer,
                    !lenientPeers, zipf, protocol, httpClose, allowUnsortedKeys, targetPids);
            TargetMeter meter = new TargetMeter(targetPids);
            report = protocol == LoadConfig.Protocol.HTTP ? new HttpLoadGenerator(config, meter).run()
                    : new LoadGenerator(config, meter).run();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        String verdict = verdict(report, maxErrors, maxTimeoutRatio);
        if (json || jsonFile != null) {
            String document = jsonOf(config, report, verdict);
            if (jsonFile != null) {
                Files.writeString(jsonFile, document, StandardCharsets.UTF_8);
            }
            if (json) {
                out.println(document);
            }
        }
        if (!json) {
            out.print(report.text());
            out.println(verdict == null ? "PASS" : "FAIL: " + verdict);
        }
        out.flush();
        return verdict == null ? 0 : 1;
    }

    /** Why the run failed, or null when it passed. */
    static String verdict(LoadReport report, long maxErrors, double maxTimeoutRatio) {
        if (report.totalInvalid() > 0) {
            return report.totalInvalid() + " invalid replies";
        }
        if (report.totalErrors() > maxErrors) {
            return report.totalErrors() + " errors (at most " + maxErrors + " allowed)";
        }
        if (report.totalTimeouts() > maxTimeoutRatio * report.totalSent()) {
            return report.totalTimeouts() + " timeouts of " + report.totalSent() + " requests";
        }
        if (report.connect().sent() > 0 && report.connect().connectsOk() == 0) {
            return "no connect was answered";
        }
        if (report.totalSent() > 0 && report.connect().ok() + report.warmup().ok() + report.load().ok() == 0) {
            return "no request was answered";
        }
        return null;
    }

    private static String jsonOf(LoadConfig config, LoadReport report, String verdict) throws IOException {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("target", config.target().toString());
        settings.put("protocol", config.protocol().name());
        settings.put("httpClose", config.httpClose());
        settings.put("zipf", config.zipfExponent());
        settings.put("targetPids", config.targetPids());
        settings.put("allowUnsortedKeys", config.allowUnsortedKeys());
        settings.put("clients", config.clients());
        settings.put("torrents", config.torrents());
        settings.put("peersPerTorrent", config.peersPerTorrent());
        settings.put("requests", config.requests());
        settings.put("durationSeconds", config.duration().toMillis() / 1000.0);
        settings.put("phase", config.phase().name());
        settings.put("window", config.window());
        settings.put("announcePercent", config.announcePercent());
        settings.put("scrapeHashes", config.scrapeHashes());
        settings.put("numwant", config.numwant());
        settings.put("timeoutMillis", config.timeout().toMillis());
        settings.put("sockets", config.sockets());
        settings.put("seed", config.seed());
        settings.put("trafficSeed", config.trafficSeed());
        settings.put("allowSelfPeer", config.allowSelfPeer());
        settings.put("strictPeers", config.strictPeers());
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("passed", verdict == null);
        document.put("failure", verdict);
        document.put("config", settings);
        document.put("report", report);
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(document);
    }

    /** "30s", "500ms", "2m", or a plain number of seconds. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(java.util.Locale.ROOT);
            try {
                if (v.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
                }
                if (v.endsWith("s")) {
                    return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
                }
                if (v.endsWith("m")) {
                    return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 60_000));
                }
                return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("not a duration: " + value);
            }
        }
    }
}
