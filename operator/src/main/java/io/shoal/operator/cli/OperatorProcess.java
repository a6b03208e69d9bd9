package io.shoal.operator.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shoal.operator.reconcile.ShoalOperator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Set;

/** A running operator: API client, both reconcilers, and the admin HTTP server, stopped together. */
final class OperatorProcess implements AutoCloseable {

    /** Lease settings; null name means no leader election. */
    record Election(String leaseName, String leaseNamespace) {
    }

    private final KubernetesClient client;
    private final Operator operator;
    private final AdminServer admin;
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();

    private OperatorProcess(Config config, Set<String> namespaces, Election election, InetSocketAddress adminAddress)
            throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        client = new KubernetesClientBuilder().withConfig(config).build();
        try {
            LeaderElectionConfiguration leaderElection = null;
            if (election != null) {
                String ns = election.leaseNamespace() != null ? election.leaseNamespace() : client.getNamespace();
                if (ns == null) {
                    throw new IllegalArgumentException("leader election needs a namespace for its Lease:"
                            + " set --lease-namespace or POD_NAMESPACE");
                }
                leaderElection = new LeaderElectionConfiguration(election.leaseName(), ns);
            }
            operator = ShoalOperator.create(client, namespaces, leaderElection,
                    MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry).build());
            admin = new AdminServer(adminAddress,
                    () -> operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy(),
                    registry);
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** Starts the admin server first, so that probes answer while the operator waits for its caches or lease. */
    static OperatorProcess start(Config config, Set<String> namespaces, Election election, InetSocketAddress admin)
            throws IOException {
        OperatorProcess p = new OperatorProcess(config, namespaces, election, admin);
        p.admin.start();
        try {
            p.operator.start();
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
        return p;
    }

    int adminPort() {
        return admin.port();
    }

    @Override
    public void close() {
        try {
            operator.stop();
        } finally {
            admin.close();
            gcMetrics.close();
            client.close();
        }
    }
}
