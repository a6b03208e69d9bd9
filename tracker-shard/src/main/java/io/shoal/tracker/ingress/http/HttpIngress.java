package io.shoal.tracker.ingress.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.shoal.tracker.ingress.Routes;
import io.shoal.tracker.server.ClientRateLimiter;
import io.shoal.tracker.server.FullScrapeCache;
import io.shoal.tracker.server.HttpConnectionLimit;
import io.shoal.tracker.server.HttpTrackerChannels;
import io.shoal.tracker.server.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the ingress: tracker HTTP listeners that serve clients exactly as a shard's do (same limits,
 * same refusals, same keep-alive and pipelining) but answer through the shards: announce forwarded to the owning
 * shard, scrapes split and merged, full scrape fanned out, merged and cached. See {@link HttpRouter}.
 *
 * <p>Runs on the caller's event loops (shared with the UDP side); owns its sockets, its connection pools to the
 * shards and one thread that merges and compresses full scrapes.
 */
public final class HttpIngress implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpIngress.class);
    private static final long CLOSE_WAIT_MILLIS = 5_000;
    /** How often pools of replicas that left the routes are closed. */
    private static final long POOL_SWEEP_SECONDS = 30;

    private final List<Channel> channels = new ArrayList<>();
    private final ShardClient shards;
    private final ExecutorService merger;
    private final Supplier<Routes> routes;
    private ScheduledFuture<?> sweep;

    private HttpIngress(ShardClient shards, ExecutorService merger, Supplier<Routes> routes) {
        this.shards = shards;
        this.merger = merger;
        this.routes = routes;
    }

    /**
     * Listens on every address of {@code binds} (port 0: an ephemeral port, the same for all addresses is not
     * guaranteed) and serves until {@link #close()}. Either everything starts or nothing stays open.
     *
     * @param routes read for every request, so a new routing epoch applies from the next request on
     */
    public static HttpIngress start(HttpIngressSettings settings, Transport transport, EventLoopGroup group,
                                    List<InetSocketAddress> binds, Supplier<Routes> routes, MeterRegistry registry)
            throws InterruptedException {
        ExecutorService merger = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "shoal-ingress-scrape");
            t.setDaemon(true);
            return t;
        });
        ShardClient shards = new ShardClient(settings, transport, group);
        HttpIngress ingress = new HttpIngress(shards, merger, routes);
        try {
            HttpIngressMeters meters = new HttpIngressMeters(registry);
            HttpRouter[] router = new HttpRouter[1];
            FullScrapeCache cache = settings.fullScrape()
                    ? new FullScrapeCache(() -> router[0].fullScrapeOfAllShards(merger), settings.fullScrapeRefresh(),
                            merger, System::nanoTime)
                    : null;
            router[0] = new HttpRouter(settings, routes, shards, meters, cache,
                    new ClientRateLimiter(settings.fullScrapeRate(), settings.rateLimiterMaxClients()));
            HttpConnectionLimit limit = new HttpConnectionLimit(settings.httpMaxConnections(),
                    settings.httpMaxConnectionsPerAddress(), registry);
            ServerBootstrap http = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new HttpTrackerChannels(router[0], limit, settings.httpIdleTimeout(),
                            settings.httpRequestTimeout()));
            for (InetSocketAddress bind : binds) {
                Channel ch = http.bind(bind).sync().channel();
                synchronized (ingress.channels) {
                    ingress.channels.add(ch);
                }
            }
            ingress.sweep = group.next().scheduleWithFixedDelay(ingress::sweepPools, POOL_SWEEP_SECONDS,
                    POOL_SWEEP_SECONDS, TimeUnit.SECONDS);
            LOG.info("HTTP ingress listening on {}", ingress.localAddresses());
            return ingress;
        } catch (InterruptedException | RuntimeException | Error e) {
            ingress.close();
            throw e;
        }
    }

    /** The bound addresses, in the order of the binds (with the actual port where 0 was asked). */
    public List<InetSocketAddress> localAddresses() {
        synchronized (channels) {
            List<InetSocketAddress> out = new ArrayList<>(channels.size());
            for (Channel ch : channels) {
                out.add((InetSocketAddress) ch.localAddress());
            }
            return out;
        }
    }

    /** True while every listener is open. */
    public boolean isBound() {
        synchronized (channels) {
            return !channels.isEmpty() && channels.stream().allMatch(Channel::isOpen);
        }
    }

    private void sweepPools() {
        try {
            Routes r = routes.get();
            Set<InetSocketAddress> live = new HashSet<>();
            for (int shard = 0; shard < r.shardCount(); shard++) {
                live.addAll(r.replicas(shard));
            }
            shards.keepOnly(live);
        } catch (RuntimeException e) {
            LOG.warn("Could not sweep the shard connection pools", e);
        }
    }

    @Override
    public void close() {
        if (sweep != null) {
            sweep.cancel(false);
        }
        synchronized (channels) {
            for (Channel ch : channels) {
                ch.close().awaitUninterruptibly(CLOSE_WAIT_MILLIS);
            }
            channels.clear();
        }
        shards.close();
        merger.shutdownNow();
    }
}
