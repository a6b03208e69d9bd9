package io.shoal.operator.resources;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.shoal.operator.api.v1alpha1.TrackerCluster;
import io.shoal.operator.api.v1alpha1.TrackerShard;
import java.util.Map;

/**
 * Who may reach what: a shard's internal port (which trusts PROXY headers and X-Forwarded-For)
 * only from its cluster's ingress pods, a shard's Redis only from that shard's pods.
 */
public final class NetworkPolicies {

    private NetworkPolicies() {
    }

    private static NetworkPolicyPort port(int port, String protocol) {
        return new NetworkPolicyPortBuilder().withPort(new IntOrString(port)).withProtocol(protocol).build();
    }

    /** Shard pods: the public and admin ports from anywhere, the internal port from the ingress only. */
    public static NetworkPolicy shards(TrackerCluster tc) {
        String cluster = tc.getMetadata().getName();
        return new NetworkPolicyBuilder()
                .withMetadata(Owners.meta(tc, Names.shardNetworkPolicy(cluster),
                        Labels.all(Labels.selector(cluster, Labels.SHARD_COMPONENT))))
                .withNewSpec()
                .withNewPodSelector().withMatchLabels(Labels.selector(cluster, Labels.SHARD_COMPONENT)).endPodSelector()
                .withPolicyTypes("Ingress")
                .addNewIngress()
                .withFrom(new NetworkPolicyPeerBuilder().withNewPodSelector()
                        .withMatchLabels(Labels.selector(cluster, Labels.INGRESS_COMPONENT)).endPodSelector().build())
                .withPorts(port(Names.INTERNAL_PORT, "UDP"), port(Names.INTERNAL_PORT, "TCP"))
                .endIngress()
                .addNewIngress()
                .withPorts(port(Names.PUBLIC_PORT, "UDP"), port(Names.PUBLIC_PORT, "TCP"), port(Names.ADMIN_PORT, "TCP"))
                .endIngress()
                .endSpec()
                .build();
    }

    /** A shard's managed Redis: port 6379 from that shard's tracker pods only. */
    public static NetworkPolicy redis(TrackerShard ts) {
        String cluster = ts.getSpec().cluster;
        int index = ts.getSpec().index;
        Map<String, String> redis = Labels.selector(cluster, Labels.REDIS_COMPONENT, index);
        return new NetworkPolicyBuilder()
                .withMetadata(Owners.meta(ts, Names.redis(cluster, index), Labels.all(redis)))
                .withNewSpec()
                .withNewPodSelector().withMatchLabels(redis).endPodSelector()
                .withPolicyTypes("Ingress")
                .addNewIngress()
                .withFrom(new NetworkPolicyPeerBuilder().withNewPodSelector()
                        .withMatchLabels(Labels.selector(cluster, Labels.SHARD_COMPONENT, index)).endPodSelector().build())
                .withPorts(port(Names.REDIS_PORT, "TCP"))
                .endIngress()
                .endSpec()
                .build();
    }
}
