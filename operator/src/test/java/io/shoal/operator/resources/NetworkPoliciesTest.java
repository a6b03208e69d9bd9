package io.shoal.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.shoal.operator.api.v1alpha1.TrackerCluster;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkPoliciesTest {

    private final TrackerCluster tc = Fixtures.cluster("tr", 2);

    private static List<String> ports(NetworkPolicyIngressRule rule) {
        return rule.getPorts().stream().map(p -> p.getProtocol() + "/" + p.getPort().getIntVal()).toList();
    }

    @Test
    void shardInternalPortOnlyFromTheIngress() {
        NetworkPolicy np = NetworkPolicies.shards(tc);
        assertThat(np.getSpec().getPodSelector().getMatchLabels())
                .containsEntry("tracker.shoal.io/cluster", "tr").containsEntry("tracker.shoal.io/component", "shard");
        assertThat(np.getSpec().getPolicyTypes()).containsExactly("Ingress");
        List<NetworkPolicyIngressRule> rules = np.getSpec().getIngress();
        assertThat(rules).hasSize(2);
        NetworkPolicyIngressRule internal = rules.stream().filter(r -> ports(r).contains("UDP/6970")).findFirst().orElseThrow();
        assertThat(ports(internal)).containsExactly("UDP/6970", "TCP/6970");
        assertThat(internal.getFrom()).singleElement().satisfies(peer -> assertThat(peer.getPodSelector().getMatchLabels())
                .containsEntry("tracker.shoal.io/cluster", "tr").containsEntry("tracker.shoal.io/component", "ingress"));
        NetworkPolicyIngressRule open = rules.stream().filter(r -> r != internal).findFirst().orElseThrow();
        assertThat(ports(open)).containsExactly("UDP/6969", "TCP/6969", "TCP/9090").doesNotContain("UDP/6970", "TCP/6970");
        assertThat(open.getFrom()).isNullOrEmpty();
    }

    @Test
    void redisOnlyFromItsOwnShard() {
        NetworkPolicy np = NetworkPolicies.redis(Fixtures.shard(tc, 1));
        assertThat(np.getMetadata().getName()).isEqualTo("tr-shard-1-redis");
        assertThat(np.getSpec().getPodSelector().getMatchLabels()).containsEntry("tracker.shoal.io/component", "redis")
                .containsEntry("tracker.shoal.io/shard", "1");
        assertThat(np.getSpec().getIngress()).singleElement().satisfies(rule -> {
            assertThat(ports(rule)).containsExactly("TCP/6379");
            assertThat(rule.getFrom()).singleElement().satisfies(peer -> assertThat(peer.getPodSelector().getMatchLabels())
                    .containsEntry("tracker.shoal.io/component", "shard").containsEntry("tracker.shoal.io/shard", "1"));
        });
    }
}
