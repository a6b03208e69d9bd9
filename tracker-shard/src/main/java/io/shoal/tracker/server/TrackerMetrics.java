package io.shoal.tracker.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.shoal.tracker.peers.PeerStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The shard's meters. Counters and timers are created once and kept in arrays indexed by enum ordinals,
 * so recording a request is an array read and an add: no registry lookup, no tag allocation.
 * {@code /stats} reads the same counters as {@code /metrics}, so the two always agree.
 *
 * <p>Every request is counted exactly, but UDP requests are timed only on a random sample of one in
 * {@link #UDP_TIMING_SAMPLE} ({@link #startUdp()}): recording into a percentile histogram costs about as much as
 * the rest of the bookkeeping of a small request, and a sample gives the same distribution. The timer's own count
 * is therefore not the request count; the counters are.
 */
public final class TrackerMetrics implements AutoCloseable {

    public enum Protocol {
        UDP(Kind.CONNECT, Kind.ANNOUNCE, Kind.SCRAPE, Kind.INVALID),
        HTTP(Kind.ANNOUNCE, Kind.SCRAPE, Kind.FULL_SCRAPE, Kind.INVALID);

        private final Kind[] kinds;

        Protocol(Kind... kinds) {
            this.kinds = kinds;
        }

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Kind {
        CONNECT, ANNOUNCE, SCRAPE, FULL_SCRAPE, INVALID;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Result {
        /** Answered with what was asked for. */
        OK,
        /** Answered with a protocol error (bad request, store failure). */
        ERROR,
        /** Not answered at all (UDP: bad connection id, garbage, oversized). */
        DROPPED,
        /** Answered with a refusal by policy (access list, rate limit, feature off, store limits reached). */
        REFUSED;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final String REQUESTS = "shoal.requests";
    public static final String DURATION = "shoal.request.duration";
    /** One UDP request in this many is timed; a power of two. */
    public static final int UDP_TIMING_SAMPLE = 16;
    /** A start time that means "not timed": {@link #record} then only counts. */
    public static final long NOT_TIMED = Long.MIN_VALUE;

    private static final Protocol[] PROTOCOLS = Protocol.values();
    private static final Kind[] KINDS = Kind.values();
    private static final Result[] RESULTS = Result.values();

    private final Counter[][][] counters = new Counter[PROTOCOLS.length][KINDS.length][RESULTS.length];
    private final Timer[][] timers = new Timer[PROTOCOLS.length][KINDS.length];
    private final ProcessMeters processMeters;
    private final long startedNanos = System.nanoTime();

    public TrackerMetrics(MeterRegistry registry, PeerStore store) {
        for (Protocol p : PROTOCOLS) {
            for (Kind k : p.kinds) {
                for (Result r : RESULTS) {
                    counters[p.ordinal()][k.ordinal()][r.ordinal()] = Counter.builder(REQUESTS)
                            .description("Tracker requests by protocol, kind and result")
                            .tag("protocol", p.tag()).tag("kind", k.tag()).tag("result", r.tag())
                            .register(registry);
                }
                timers[p.ordinal()][k.ordinal()] = Timer.builder(DURATION)
                        .description("Time from a request's arrival to its reply being handed to the socket "
                                + "(UDP: a random sample of one request in " + UDP_TIMING_SAMPLE + ")")
                        .tag("protocol", p.tag()).tag("kind", k.tag())
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofNanos(2_000))
                        .maximumExpectedValue(Duration.ofSeconds(10))
                        .register(registry);
            }
        }
        Gauge.builder("shoal.torrents", store, s -> s.stats().torrents())
                .description("Torrents with at least one peer").register(registry);
        Gauge.builder("shoal.peers", store, s -> s.stats().peers())
                .description("Peers over all torrents").register(registry);
        Gauge.builder("shoal.seeders", store, s -> s.stats().seeders())
                .description("Seeders over all torrents").register(registry);
        Gauge.builder("shoal.leechers", store, s -> s.stats().leechers())
                .description("Leechers over all torrents").register(registry);
        Gauge.builder("shoal.store.ready", store, s -> s.isReady() ? 1 : 0)
                .description("1 when the peer store can serve requests").register(registry);

        processMeters = new ProcessMeters(registry);
    }

    /** The start of a UDP request: {@link System#nanoTime()} for the sampled ones, else {@link #NOT_TIMED}. */
    public static long startUdp() {
        return (ThreadLocalRandom.current().nextInt() & (UDP_TIMING_SAMPLE - 1)) == 0 ? System.nanoTime() : NOT_TIMED;
    }

    /**
     * Counts one request and, unless {@code startNanos} is {@link #NOT_TIMED}, records its duration since then
     * (a {@link System#nanoTime()} value).
     */
    public void record(Protocol p, Kind k, Result r, long startNanos) {
        counter(p, k, r).increment();
        if (startNanos != NOT_TIMED) {
            timers[p.ordinal()][k.ordinal()].record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Counts a request that was not timed (dropped before any work). */
    public void count(Protocol p, Kind k, Result r) {
        counter(p, k, r).increment();
    }

    private Counter counter(Protocol p, Kind k, Result r) {
        Counter c = counters[p.ordinal()][k.ordinal()][r.ordinal()];
        if (c == null) {
            throw new IllegalArgumentException(p.tag() + " has no " + k.tag() + " requests");
        }
        return c;
    }

    public long requests(Protocol p, Kind k, Result r) {
        return (long) counter(p, k, r).count();
    }

    /** protocol -> kind -> result -> count, read from the same counters {@code /metrics} shows. */
    public Map<String, Map<String, Map<String, Long>>> requestCounts() {
        Map<String, Map<String, Map<String, Long>>> out = new LinkedHashMap<>();
        for (Protocol p : PROTOCOLS) {
            Map<String, Map<String, Long>> byKind = new LinkedHashMap<>();
            for (Kind k : p.kinds) {
                Map<String, Long> byResult = new LinkedHashMap<>();
                for (Result r : RESULTS) {
                    byResult.put(r.tag(), requests(p, k, r));
                }
                byKind.put(k.tag(), byResult);
            }
            out.put(p.tag(), byKind);
        }
        return out;
    }

    public Duration uptime() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    @Override
    public void close() {
        processMeters.close();
    }
}
