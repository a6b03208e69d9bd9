package io.shoal.operator.cli;

import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
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
            description = "Reconcile only while holding the lease, so that replicas can stand by (default: ${DEFAULT-VALUE}).")
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

    /** Reads the kubeconfig given, or finds one the usual way (KUBECONFIG, ~/.kube/config, in-cluster). */
    static Config config(Path kubeconfig) throws IOException {
        return kubeconfig == null ? Config.autoConfigure(null) : Config.fromKubeconfig(kubeconfig.toFile());
    }

    Set<String> watchedNamespaces() {
        Set<String> watched = new LinkedHashSet<>();
        if (namespaces != null) {
            namespaces.stream().map(String::trim).filter(s -> !s.isEmpty()).forEach(watched::add);
        }
        return watched;
    }

    OperatorProcess.Election election() {
        if (!leaderElection) {
            return null;
        }
        return new OperatorProcess.Election(leaseName,
                leaseNamespace != null ? leaseNamespace : System.getenv("POD_NAMESPACE"));
    }

    /** Refuses settings that cannot work, with the exit code 2 a usage error gets. */
    void check(CommandLine cmd) {
        if (adminPort < 0 || adminPort > 65535) {
            throw new CommandLine.ParameterException(cmd, "--admin-port must be 0..65535, not " + adminPort);
        }
        if (kubeconfig != null && !Files.isReadable(kubeconfig)) {
            throw new CommandLine.ParameterException(cmd, "cannot read --kubeconfig " + kubeconfig);
        }
        if (leaderElection && (leaseName == null || leaseName.isBlank())) {
            throw new CommandLine.ParameterException(cmd, "--lease-name must not be empty");
        }
    }

    @picocli.CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        check(spec.commandLine());
        Set<String> watched = watchedNamespaces();
        OperatorProcess process = OperatorProcess.start(config(kubeconfig), watched, election(),
                new InetSocketAddress(adminBind, adminPort));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            process.close();
            stopped.countDown();
        }, "shutdown"));
        System.err.println("shoal-operator: watching " + (watched.isEmpty() ? "all namespaces" : watched)
                + ", admin on port " + process.adminPort()
                + (leaderElection ? ", leader election with lease " + leaseName : ", no leader election"));
        stopped.await();
        return 0;
    }

    /** Parses and runs; the exit code (2 for a usage error, with a one-line message). */
    static int run(String... args) {
        return new CommandLine(new OperatorMain())
                .setParameterExceptionHandler((e, a) -> {
                    System.err.println("shoal-operator: " + e.getMessage());
                    return 2;
                })
                .execute(args);
    }

    public static void main(String[] args) {
        int code = run(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
