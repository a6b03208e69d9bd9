package io.shoal.operator.resources;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.shoal.operator.api.v1alpha1.TrackerCluster;
import io.shoal.routing.SlotMap;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/** The cluster-wide objects the ingress and the shards share: the key Secret and the ConfigMaps. */
public final class ClusterResources {

    private ClusterResources() {
    }

    private static Map<String, String> labels(TrackerCluster tc) {
        return Labels.all(Labels.selector(tc.getMetadata().getName(), "cluster"));
    }

    /** The connection-id key shared by ingress and shards; {@code keyHex} is made once and then kept. */
    public static Secret connectionIdSecret(TrackerCluster tc, String keyHex) {
        String name = tc.getMetadata().getName();
        return new SecretBuilder()
                .withMetadata(Owners.meta(tc, Names.connectionIdSecret(name), labels(tc)))
                .withType("Opaque")
                .addToData(Names.CONNECTION_ID_KEY,
                        Base64.getEncoder().encodeToString(keyHex.getBytes(StandardCharsets.US_ASCII)))
                .build();
    }

    /** The routing document the ingress follows. */
    public static ConfigMap routingConfigMap(TrackerCluster tc, SlotMap map) {
        String name = tc.getMetadata().getName();
        return new ConfigMapBuilder()
                .withMetadata(Owners.meta(tc, Names.routingConfigMap(name), labels(tc)))
                .addToData(Names.ROUTING_KEY, map.toJson())
                .build();
    }

    /** The access list every shard mounts, one infohash per line (lowercase); null when there is none. */
    public static ConfigMap accessListConfigMap(TrackerCluster tc) {
        if (tc.getSpec().accessList == null) {
            return null;
        }
        StringBuilder lines = new StringBuilder();
        for (String hash : tc.getSpec().accessList.infohashes) {
            lines.append(hash.toLowerCase(Locale.ROOT)).append('\n');
        }
        return new ConfigMapBuilder()
                .withMetadata(Owners.meta(tc, Names.accessListConfigMap(tc.getMetadata().getName()), labels(tc)))
                .addToData(Names.ACCESS_LIST_KEY, lines.toString())
                .build();
    }
}
