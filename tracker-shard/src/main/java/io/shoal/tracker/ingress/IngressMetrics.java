package io.shoal.tracker.ingress;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The ingress's UDP meters: {@code shoal_ingress_requests_total{protocol="udp",kind,shard,result}},
 * {@code shoal_ingress_request_duration_seconds{protocol="udp",kind}}, {@code shoal_ingress_routing_epoch} and
 * {@code shoal_ingress_udp_invalid_total{reason}}. Counters sit in arrays indexed by enum ordinal and shard, grown
 * when a routing epoch brings more shards, so counting a request is array reads and an add.
 *
 * <p>As on the shard, every request is counted but only one in {@link #TIMING_SAMPLE} is timed.
 */
public final class IngressMetrics {
    public static final String REQUESTS = "shoal.ingress.requests";
    public static final String DURATION = "shoal.ingress.request.duration";
    public static final String EPOCH = "shoal.ingress.routing.epoch";
    public static final String INVALID = "shoal.ingress.udp.invalid";
    static final int TIMING_SAMPLE = 16;
    static final long NOT_TIMED = Long.MIN_VALUE;

    public enum Kind {
        CONNECT, ANNOUNCE, SCRAPE;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Result {
        /** The shard's answer (or the ingress's, for connect) was relayed. */
        OK,
        /** The client got a BEP 15 error: a shard's, or the ingress's for a malformed request. */
        ERROR,
        /** No answer from the shard in time; the client got an error. */
        TIMEOUT,
        /** Not forwarded: no routes, no replica in rotation, or too many requests in flight. */
        REFUSED;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Why a datagram was not handled as a request: all are dropped unanswered but an unknown action. */
    public enum Drop {
        MALFORMED, CONNECTION_ID, UNKNOWN_ACTION, UNMATCHED_REPLY;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Index of the "all" shard tag: requests not tied to one shard (connect, split scrapes, refusals before routing). */
    public static final int ALL = -1;

    private static final Kind[] KINDS = Kind.values();
    private static final Result[] RESULTS = Result.values();

    private final MeterRegistry registry;
    private final Counter[][] all = new Counter[KINDS.length][RESULTS.length];
    private volatile Counter[][][] byShard = new Counter[0][][];
    private final Timer[] timers = new Timer[KINDS.length];
    private final Counter[] dropped = new Counter[Drop.values().length];

    public IngressMetrics(MeterRegistry registry, LongSupplier epoch) {
        this.registry = registry;
        for (Kind k : KINDS) {
            for (Result r : RESULTS) {
                all[k.ordinal()][r.ordinal()] = counter(k, "all", r);
            }
            timers[k.ordinal()] = Timer.builder(DURATION)
                    // Same description and buckets as the HTTP side's: one metric family, two protocols.
                    .description("Time from a request's arrival at the ingress to its answer being handed to the socket")
                    .tag("protocol", "udp").tag("kind", k.tag())
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofNanos(10_000))
                    .maximumExpectedValue(Duration.ofSeconds(30))
                    .register(registry);
        }
        for (Drop d : Drop.values()) {
            dropped[d.ordinal()] = Counter.builder(INVALID).tag("reason", d.tag())
                    .description("UDP datagrams (from clients, or replies from shards) the ingress did not handle as "
                            + "requests; all dropped unanswered except unknown actions, which get an error")
                    .register(registry);
        }
        Gauge.builder(EPOCH, epoch, e -> e.getAsLong()).strongReference(true)
                .description("Epoch of the routing document in use")
                .register(registry);
    }

    private Counter counter(Kind k, String shard, Result r) {
        return Counter.builder(REQUESTS)
                .description("Requests through the ingress by protocol, kind, shard and result")
                .tag("protocol", "udp").tag("kind", k.tag()).tag("shard", shard).tag("result", r.tag())
                .register(registry);
    }

    /** The start of a request: {@link System#nanoTime()} for the sampled ones, else {@link #NOT_TIMED}. */
    static long start() {
        return (ThreadLocalRandom.current().nextInt() & (TIMING_SAMPLE - 1)) == 0 ? System.nanoTime() : NOT_TIMED;
    }

    public void record(Kind k, int shard, Result r, long startNanos) {
        counter(k, shard, r).increment();
        if (startNanos != NOT_TIMED) {
            timers[k.ordinal()].record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        }
    }

    public void drop(Drop reason) {
        dropped[reason.ordinal()].increment();
    }

    private Counter counter(Kind k, int shard, Result r) {
        if (shard == ALL) {
            return all[k.ordinal()][r.ordinal()];
        }
        Counter[][][] s = byShard;
        if (shard >= s.length) {
            s = grow(shard + 1);
        }
        return s[shard][k.ordinal()][r.ordinal()];
    }

    private synchronized Counter[][][] grow(int shards) {
        Counter[][][] s = byShard;
        if (shards <= s.length) {
            return s;
        }
        Counter[][][] bigger = java.util.Arrays.copyOf(s, shards);
        for (int shard = s.length; shard < shards; shard++) {
            bigger[shard] = new Counter[KINDS.length][RESULTS.length];
            for (Kind k : KINDS) {
                for (Result r : RESULTS) {
                    bigger[shard][k.ordinal()][r.ordinal()] = counter(k, Integer.toString(shard), r);
                }
            }
        }
        byShard = bigger;
        return bigger;
    }

    public long count(Kind k, int shard, Result r) {
        return (long) counter(k, shard, r).count();
    }

    public long dropped(Drop reason) {
        return (long) dropped[reason.ordinal()].count();
    }

    /** For /stats: kind -> result -> count, for one shard or {@link #ALL}. */
    public Map<String, Map<String, Long>> counts(int shard) {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        for (Kind k : KINDS) {
            Map<String, Long> byResult = new LinkedHashMap<>();
            for (Result r : RESULTS) {
                byResult.put(r.tag(), count(k, shard, r));
            }
            out.put(k.tag(), byResult);
        }
        return out;
    }
}
