package io.shoal.tracker.ingress;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.shoal.tracker.ingress.http.HttpIngress;
import io.shoal.tracker.server.AdminServer;
import io.shoal.tracker.server.BindAddresses;
import io.shoal.tracker.server.PeriodicJobs;
import io.shoal.tracker.server.ProcessMeters;
import io.shoal.tracker.server.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running ingress: routing source, periodic re-resolution, the UDP and HTTP sides on one port number and one set
 * of event loops, the admin port; started together,
 * stopped together.
 */
public final class IngressRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngressRuntime.class);

    private final IngressConfig config;
    private final RouteKeeper keeper;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ProcessMeters processMeters = new ProcessMeters(registry);
    private final PeriodicJobs jobs = new PeriodicJobs("shoal-ingress-jobs");
    private IngressMetrics metrics;
    private RoutingConfigMapWatcher configMapWatcher;
    private EventLoopGroup group;
    private UdpIngress udp;
    private HttpIngress http;
    private AdminServer admin;

    private IngressRuntime(IngressConfig config, RouteKeeper keeper) {
        this.config = config;
        this.keeper = keeper;
    }

    /** Starts everything or nothing. */
    public static IngressRuntime start(IngressConfig config) throws Exception {
        return start(config, RouteKeeper.create());
    }

    static IngressRuntime start(IngressConfig config, RouteKeeper keeper) throws Exception {
        IngressRuntime runtime = new IngressRuntime(config, keeper);
        try {
            runtime.startServing();
            return runtime;
        } catch (Exception | Error e) {
            runtime.close();
            throw e;
        }
    }

    private void startServing() throws Exception {
        metrics = new IngressMetrics(registry, keeper::epoch);

        if (config.routingFile() != null) {
            RoutingFileWatcher watcher = new RoutingFileWatcher(config.routingFile(), keeper);
            watcher.poll();
            jobs.every(config.routingFilePoll(), watcher::poll);
        } else {
            configMapWatcher = RoutingConfigMapWatcher.start(config.routingConfigMap(), keeper);
        }
        jobs.every(config.resolveInterval(), keeper::refresh);

        Transport transport = Transport.select(config.transport());
        group = transport.newGroup(config.threads(), "shoal-ingress");
        List<InetAddress> addresses = BindAddresses.resolve(config.bindAddresses());
        List<InetSocketAddress> binds = new ArrayList<>();
        for (InetAddress a : addresses) {
            binds.add(new InetSocketAddress(a, config.port()));
        }
        udp = UdpIngress.start(config.udp(), transport, group, binds, keeper, metrics);
        http = HttpIngress.start(config.http(), transport, group, sameNumber(binds, udp.port()), keeper, registry);
        UdpIngress u = udp;
        HttpIngress h = http;
        admin = AdminServer.start(addresses, config.adminPort(), transport,
                new IngressAdminPages(registry, keeper, metrics, () -> u.isBound() && h.isBound(), u::inFlight));
        LOG.info("Ingress started: udp and http port {}, admin port {}, routing {}, epoch {}", udp.port(), admin.port(),
                config.routingFile() != null ? config.routingFile() : "configmap:" + config.routingConfigMap(),
                keeper.epoch());
    }

    /** HTTP listens on the port number UDP got (they differ only when port 0 was asked and UDP chose). */
    private static List<InetSocketAddress> sameNumber(List<InetSocketAddress> binds, int port) {
        List<InetSocketAddress> out = new ArrayList<>(binds.size());
        for (InetSocketAddress b : binds) {
            out.add(new InetSocketAddress(b.getAddress(), port));
        }
        return out;
    }


    public int udpPort() {
        return udp.port();
    }

    /** The HTTP port: the UDP port's number. */
    public int httpPort() {
        return http.localAddresses().get(0).getPort();
    }

    public int adminPort() {
        return admin.port();
    }

    public RouteKeeper routes() {
        return keeper;
    }

    public IngressMetrics metrics() {
        return metrics;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close();
        }
        if (http != null) {
            http.close();
        }
        if (udp != null) {
            udp.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
        }
        if (configMapWatcher != null) {
            configMapWatcher.close();
        }
        jobs.close();
        processMeters.close();
        registry.close();
        LOG.info("Ingress stopped");
    }
}
