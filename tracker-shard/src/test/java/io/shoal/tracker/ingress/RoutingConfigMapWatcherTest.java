package io.shoal.tracker.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.shoal.routing.SlotMap;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The ConfigMap source against fabric8's mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class RoutingConfigMapWatcherTest {
    static KubernetesClient client;

    private static String doc(long epoch, int port) {
        SlotMap even = SlotMap.even(2, k -> "127.0.0.1:" + (port + k));
        return new SlotMap(epoch, even.shards()).toJson();
    }

    private static ConfigMap configMap(String name, String key, String value) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().addToData(key, value).build();
    }

    @Test
    void followsTheConfigMapAndKeepsRoutesThroughBadChangesAndDeletion() {
        String ns = client.getNamespace();
        client.configMaps().inNamespace(ns).resource(configMap("shoal-routing", "routing.json", doc(1, 7000))).create();
        RouteKeeper keeper = RouteKeeper.create();
        try (RoutingConfigMapWatcher w = RoutingConfigMapWatcher.start(client, "shoal-routing", keeper)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> keeper.epoch() == 1);
            assertThat(keeper.get().replicas(1).get(0).getPort()).isEqualTo(7001);

            client.configMaps().inNamespace(ns).resource(configMap("shoal-routing", "routing.json", doc(2, 8000)))
                    .update();
            await().atMost(Duration.ofSeconds(10)).until(() -> keeper.epoch() == 2);
            assertThat(keeper.get().replicas(0).get(0).getPort()).isEqualTo(8000);

            // A broken document, a stale one, a missing key: all refused, epoch 2 kept.
            client.configMaps().inNamespace(ns).resource(configMap("shoal-routing", "routing.json", "{oops"))
                    .update();
            client.configMaps().inNamespace(ns).resource(configMap("shoal-routing", "routing.json", doc(1, 9000)))
                    .update();
            client.configMaps().inNamespace(ns).resource(configMap("shoal-routing", "other", doc(3, 9000)))
                    .update();
            // another ConfigMap in the namespace is none of its business
            client.configMaps().inNamespace(ns).resource(configMap("unrelated", "routing.json", doc(4, 9000)))
                    .create();
            client.configMaps().inNamespace(ns).withName("shoal-routing").delete();
            client.configMaps().inNamespace(ns).resource(configMap("shoal-routing", "routing.json", doc(5, 9500)))
                    .create();
            await().atMost(Duration.ofSeconds(10)).until(() -> keeper.epoch() == 5);
            assertThat(keeper.get().replicas(0).get(0).getPort()).isEqualTo(9500);
        }
    }
}
