package io.shoal.tracker.ingress.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP side's share of the ingress meters: {@code shoal_ingress_requests_total{protocol="http",kind,shard,result}}
 * and {@code shoal_ingress_request_duration_seconds{protocol="http",kind}}. The UDP side registers the same names with
 * the same tag keys and {@code protocol="udp"}. Counters are made once per (shard, kind, result) and then found by
 * array index, so counting a request allocates nothing once its shard has been seen.
 */
final class HttpIngressMeters {
    static final String REQUESTS = "shoal.ingress.requests";
    static final String DURATION = "shoal.ingress.request.duration";
    static final int ALL = -1;

    enum Kind {
        ANNOUNCE, SCRAPE, FULL_SCRAPE, INVALID;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    enum Result {
        OK, ERROR, TIMEOUT, REFUSED;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Kind[] KINDS = Kind.values();
    private static final Result[] RESULTS = Result.values();

    private final MeterRegistry registry;
    private final Timer[] timers = new Timer[KINDS.length];
    private final ConcurrentHashMap<Integer, Counter[][]> byShard = new ConcurrentHashMap<>();

    HttpIngressMeters(MeterRegistry registry) {
        this.registry = registry;
        for (Kind k : KINDS) {
            timers[k.ordinal()] = Timer.builder(DURATION)
                    .description("Time from a request's arrival at the ingress to its answer being handed to the socket")
                    .tag("protocol", "http").tag("kind", k.tag())
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofNanos(10_000))
                    .maximumExpectedValue(Duration.ofSeconds(30))
                    .register(registry);
        }
    }

    /** Counts one request of {@code shard} ({@link #ALL} when it spans shards or has none) and times it. */
    void record(Kind kind, int shard, Result result, long startNanos) {
        counters(shard)[kind.ordinal()][result.ordinal()].increment();
        timers[kind.ordinal()].record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    long count(Kind kind, int shard, Result result) {
        return (long) counters(shard)[kind.ordinal()][result.ordinal()].count();
    }

    private Counter[][] counters(int shard) {
        Counter[][] c = byShard.get(shard);
        return c != null ? c : byShard.computeIfAbsent(shard, this::register);
    }

    private Counter[][] register(int shard) {
        String tag = shard == ALL ? "all" : Integer.toString(shard);
        Counter[][] c = new Counter[KINDS.length][RESULTS.length];
        for (Kind k : KINDS) {
            for (Result r : RESULTS) {
                c[k.ordinal()][r.ordinal()] = Counter.builder(REQUESTS)
                        .description("Requests through the ingress by protocol, kind, shard and result")
                        .tag("protocol", "http").tag("kind", k.tag()).tag("shard", tag).tag("result", r.tag())
                        .register(registry);
            }
        }
        return c;
    }
}
