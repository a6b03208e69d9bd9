package io.shoal.operator.reconcile;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import java.util.Set;

/**
 * The operator with both reconcilers, configured the same way in production and in tests.
 *
 * <p>No server-side apply: JOSDK would patch the primary's status with SSA by default, which
 * fabric8's mock API server (the tests' server) does not implement. Plain JSON patches for status
 * and create/update for owned objects work on every API server, so one configuration serves both.
 */
public final class ShoalOperator {

    private ShoalOperator() {
    }

    /**
     * @param namespaces namespaces to watch; empty means all
     * @param leaderElection null to run without leader election
     */
    public static Operator create(KubernetesClient client, Set<String> namespaces,
            LeaderElectionConfiguration leaderElection, Metrics metrics) {
        Operator operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withCloseClientOnStop(false);
            if (metrics != null) {
                o.withMetrics(metrics);
            }
            if (leaderElection != null) {
                o.withLeaderElectionConfiguration(leaderElection);
            }
        });
        operator.register(new TrackerClusterReconciler(), c -> {
            if (!namespaces.isEmpty()) {
                c.settingNamespaces(namespaces);
            }
        });
        operator.register(new TrackerShardReconciler(), c -> {
            if (!namespaces.isEmpty()) {
                c.settingNamespaces(namespaces);
            }
        });
        return operator;
    }
}
