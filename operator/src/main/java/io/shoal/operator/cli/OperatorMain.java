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
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The operator process: `java -jar shoal-operator.jar [options]`. Every option also reads SHOAL_OPERATOR_*. */
@Command(name = "shoal-operator", mixinStandardHelpOptions = true, version = "shoal-operator 0.1.0",
        description = "Reconciles TrackerCluster and TrackerShard resources into a sharded BitTorrent tracker.")
public final class OperatorMain implements Callable<Integer> {

    @Option(names = "--kubeconfig", paramLabel = "FILE", defaultValue = "${env:SHOAL_OPERATOR_KUBECONFIG}",
            description = "kubeconfig to use. Default: $KUBECONFIG, ~/.kube/config, or the in-cluster service account.")
    Path kubeconfig;

    @Option(names = "--namespaces", split = ",", paramLabel = "NS", defaultValue = "${env:SHOAL_OPERATOR_NAMESPACES}",
            description = "Namespaces to watch, comma-separated. Default: all namespaces.")
    List<String> namespaces;

    @Option(names = "--leader-election", negatable = true, fallbackValue = "true",
            defaultValue = "${env:SHOAL_OPERATOR_LEADER_ELECTION:-true}",
            description = "Run only while holding the lease, so several replicas can stand by (default: ${DEFAULT-VALUE}).")
    boolean leaderElection;

    @Option(names = "--lease-name", defaultValue = "${env:SHOAL_OPERATOR_LEASE_NAME:-shoal-operator}",
            description = "Name of the leader election Lease (default: ${DEFAULT-VALUE}).")
    String leaseName;

    @Option(names = "--lease-namespace", defaultValue = "${env:SHOAL_OPERATOR_LEASE_NAMESPACE}",
            description = "Namespace of the Lease. Default: $POD_NAMESPACE, else the client's namespace.")
    String leaseNamespace;

    @Option(names = "--admin-bind", defaultValue = "${env:SHOAL_OPERATOR_ADMIN_BIND:-0.0.0.0}",
            description = "Address of the admin HTTP server (default: ${DEFAULT-VALUE}).")
    String adminBind;

    @Option(names = "--admin-port", defaultValue = "${env:SHOAL_OPERATOR_ADMIN_PORT:-8080}",
            description = "Port of /healthz, /readyz and /metrics (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int adminPort;

    @Override
    public Integer call() throws Exception {
        if (adminPort < 0 || adminPort > 65535) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--admin-port must be 0..65535");
        }
        if (kubeconfig != null && !Files.isReadable(kubeconfig)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "cannot read --kubeconfig " + kubeconfig);
        }
        Set<String> watched = new LinkedHashSet<>();
        if (namespaces != null) {
            namespaces.stream().map(String::trim).filter(s -> !s.isEmpty()).forEach(watched::add);
        }
        Config config = kubeconfig == null ? Config.autoConfigure(null)
                : Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);

        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            LeaderElectionConfiguration election = null;
            if (leaderElection) {
                String ns = leaseNamespace != null ? leaseNamespace : System.getenv("POD_NAMESPACE");
                election = new LeaderElectionConfiguration(leaseName, ns != null ? ns : client.getNamespace());
            }
            Operator operator = ShoalOperator.create(client, watched, election,
                    MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry).build());
            try (AdminServer admin = new AdminServer(new InetSocketAddress(adminBind, adminPort),
                    () -> operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy(),
                    registry)) {
                admin.start();
                CountDownLatch stopped = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    operator.stop();
                    stopped.countDown();
                }, "shutdown"));
                operator.start();
                System.err.println("shoal-operator: watching " + (watched.isEmpty() ? "all namespaces" : watched)
                        + ", admin on port " + admin.port() + (leaderElection ? ", leader election lease " + leaseName : ""));
                stopped.await();
            }
        }
        return 0;
    }

    public static void main(String[] args) {
        int code = new CommandLine(new OperatorMain())
                .setParameterExceptionHandler((e, a) -> {
                    System.err.println("shoal-operator: " + e.getMessage());
                    return 2;
                })
                .execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

}
