package io.shoal.tracker.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.shoal.tracker.protocol.PeerAddresses;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds open HTTP connections, in total and per client (an address; IPv6 per /64, as for the full-scrape rate
 * limit), so that no client, and no crowd of clients, can exhaust file descriptors and memory. A connection over a
 * limit is closed at once, before it is read, and counted in {@code shoal_http_connections_refused_total}.
 * The per-client table holds only clients with open connections, so it is bounded by the total limit.
 */
public final class HttpConnectionLimit {
    static final String REFUSED = "shoal.http.connections.refused";
    static final String OPEN = "shoal.http.connections";

    private final int maxTotal;
    private final int maxPerClient;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<ClientRateLimiter.ClientKey, Integer> perClient = new ConcurrentHashMap<>();
    private final Counter refusedTotal;
    private final Counter refusedPerClient;

    public HttpConnectionLimit(int maxTotal, int maxPerClient, MeterRegistry registry) {
        this(maxTotal, maxPerClient, registry, OPEN);
    }

    /** A limit whose meters are named {@code openMeter} and {@code openMeter + ".refused"} (one pair per listener). */
    public HttpConnectionLimit(int maxTotal, int maxPerClient, MeterRegistry registry, String openMeter) {
        this.maxTotal = maxTotal;
        this.maxPerClient = maxPerClient;
        String refused = openMeter + ".refused";
        this.refusedTotal = Counter.builder(refused).tag("limit", "total")
                .description("HTTP connections closed at once because a connection limit was reached")
                .register(registry);
        this.refusedPerClient = Counter.builder(refused).tag("limit", "client")
                .description("HTTP connections closed at once because a connection limit was reached")
                .register(registry);
        Gauge.builder(openMeter, open, AtomicInteger::get).description("Open HTTP connections").register(registry);
    }

    /**
     * Counts a new connection, or closes it when a limit is reached. Call once per accepted channel, before its
     * pipeline is built; the count is given back when the channel closes.
     *
     * @return false when the channel was refused (and closed)
     */
    boolean admit(Channel ch) {
        if (open.incrementAndGet() > maxTotal) {
            open.decrementAndGet();
            refusedTotal.increment();
            ch.close();
            return false;
        }
        ClientRateLimiter.ClientKey key = clientOf(ch);
        if (key != null && !take(key)) {
            open.decrementAndGet();
            refusedPerClient.increment();
            ch.close();
            return false;
        }
        ch.closeFuture().addListener(f -> {
            open.decrementAndGet();
            if (key != null) {
                perClient.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
            }
        });
        return true;
    }

    int open() {
        return open.get();
    }

    private boolean take(ClientRateLimiter.ClientKey key) {
        boolean[] taken = new boolean[1];
        perClient.compute(key, (k, n) -> {
            int count = n == null ? 0 : n;
            if (count >= maxPerClient) {
                return n;
            }
            taken[0] = true;
            return count + 1;
        });
        return taken[0];
    }

    private static ClientRateLimiter.ClientKey clientOf(Channel ch) {
        if (ch.remoteAddress() instanceof InetSocketAddress remote && remote.getAddress() != null) {
            return ClientRateLimiter.keyOf(PeerAddresses.normalise(remote.getAddress()));
        }
        return null;
    }
}
