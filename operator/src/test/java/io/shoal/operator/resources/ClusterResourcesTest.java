package io.shoal.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.shoal.operator.api.v1alpha1.AccessListSpec;
import io.shoal.operator.api.v1alpha1.AccessMode;
import io.shoal.operator.api.v1alpha1.TrackerCluster;
import io.shoal.routing.SlotMap;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterResourcesTest {

    private final TrackerCluster tc = Fixtures.cluster("tr", 3);

    @Test
    void secretHoldsTheKeyUnderTheContractName() {
        Secret s = ClusterResources.connectionIdSecret(tc, "00112233445566778899aabbccddeeff");
        assertThat(s.getMetadata().getName()).isEqualTo("tr-connection-id");
        assertThat(s.getMetadata().getNamespace()).isEqualTo("trackers");
        assertThat(new String(Base64.getDecoder().decode(s.getData().get("key")), StandardCharsets.US_ASCII))
                .isEqualTo("00112233445566778899aabbccddeeff");
        assertThat(s.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
            assertThat(r.getUid()).isEqualTo("uid-tr");
            assertThat(r.getKind()).isEqualTo("TrackerCluster");
            assertThat(r.getApiVersion()).isEqualTo("tracker.shoal.io/v1alpha1");
            assertThat(r.getController()).isTrue();
        });
    }

    @Test
    void routingConfigMapHoldsTheSlotMapWithEndpoints() {
        SlotMap map = RoutingDocument.initial(3, "tr");
        ConfigMap cm = ClusterResources.routingConfigMap(tc, map);
        assertThat(cm.getMetadata().getName()).isEqualTo("tr-routing");
        String json = cm.getData().get("routing.json");
        assertThat(json).startsWith("{\"epoch\":1,").contains("\"endpoint\":\"tr-shard-1:6970\"");
        assertThat(RoutingDocument.parse(json)).isEqualTo(map);
    }

    @Test
    void accessListIsOneLowercaseHashPerLineOrAbsent() {
        assertThat(ClusterResources.accessListConfigMap(tc)).isNull();
        tc.getSpec().accessList = new AccessListSpec();
        tc.getSpec().accessList.mode = AccessMode.Allow;
        tc.getSpec().accessList.infohashes = List.of("AA".repeat(20), "0b".repeat(20));
        ConfigMap cm = ClusterResources.accessListConfigMap(tc);
        assertThat(cm.getMetadata().getName()).isEqualTo("tr-access-list");
        assertThat(cm.getData().get("infohashes")).isEqualTo("aa".repeat(20) + "\n" + "0b".repeat(20) + "\n");
    }
}
