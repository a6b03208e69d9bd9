package io.shoal.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.shoal.operator.api.v1alpha1.TrackerCluster;
import io.shoal.operator.api.v1alpha1.TrackerShard;
import io.shoal.operator.resources.Names;
import io.shoal.operator.resources.PodParts;
import io.shoal.operator.resources.RoutingDocument;
import io.shoal.routing.Rebalancer;
import io.shoal.routing.SlotMap;
import io.shoal.routing.SlotMove;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real operator against fabric8's CRUD mock API server. */
class TrackerClusterOperatorTest {

    private static final String NS = "trackers";
    private static final String NAME = "tr";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private MockApiServer api;
    private KubernetesClient client;

    @BeforeEach
    void start() throws Exception {
        api = new MockApiServer();
        client = api.client;
    }

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    private MixedOperation<TrackerCluster, KubernetesResourceList<TrackerCluster>, Resource<TrackerCluster>> clusters() {
        return client.resources(TrackerCluster.class);
    }

    private MixedOperation<TrackerShard, KubernetesResourceList<TrackerShard>, Resource<TrackerShard>> shards() {
        return client.resources(TrackerShard.class);
    }

    private TrackerCluster createCluster(int shards) {
        TrackerCluster tc = new TrackerCluster();
        tc.getMetadata().setName(NAME);
        tc.getMetadata().setNamespace(NS);
        tc.getSpec().shards = shards;
        return clusters().inNamespace(NS).resource(tc).create();
    }

    /** The cluster's status; an AssertionError (which the awaits retry) while there is none yet. */
    private io.shoal.operator.api.v1alpha1.TrackerClusterStatus clusterStatus() {
        TrackerCluster tc = cluster();
        assertThat(tc).isNotNull();
        assertThat(tc.getStatus()).as("status of the TrackerCluster").isNotNull();
        return tc.getStatus();
    }

    private TrackerCluster cluster() {
        return clusters().inNamespace(NS).withName(NAME).get();
    }

    private <T extends HasMetadata> T get(Class<T> type, String name) {
        return client.resources(type).inNamespace(NS).withName(name).get();
    }

    private <T> T awaitValue(Supplier<T> value) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(value::get, v -> v != null);
    }

    private SlotMap routing() {
        ConfigMap cm = get(ConfigMap.class, Names.routingConfigMap(NAME));
        return cm == null ? null : RoutingDocument.parse(cm.getData().get(Names.ROUTING_KEY));
    }

    private static Container container(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static void assertOwnedBy(HasMetadata owned, HasMetadata owner) {
        assertThat(owned.getMetadata().getOwnerReferences()).as("owner of %s %s", owned.getKind(),
                owned.getMetadata().getName()).singleElement().satisfies(r -> {
                    assertThat(r.getUid()).isEqualTo(owner.getMetadata().getUid());
                    assertThat(r.getKind()).isEqualTo(owner.getKind());
                    assertThat(r.getController()).isTrue();
                });
    }

    @Test
    void createMakesEveryObjectWithTheRightSpec() {
        TrackerCluster tc = createCluster(3);

        SlotMap map = awaitValue(this::routing);
        assertThat(map).isEqualTo(RoutingDocument.initial(3, NAME));
        ConfigMap routingCm = get(ConfigMap.class, Names.routingConfigMap(NAME));
        assertThat(routingCm.getData().get(Names.ROUTING_KEY))
                .contains("\"endpoint\":\"tr-shard-0:6970\"").contains("\"endpoint\":\"tr-shard-2:6970\"");
        assertOwnedBy(routingCm, tc);

        Secret secret = awaitValue(() -> get(Secret.class, Names.connectionIdSecret(NAME)));
        String key = new String(Base64.getDecoder().decode(secret.getData().get("key")), StandardCharsets.US_ASCII);
        assertThat(key).matches("[0-9a-f]{32}");
        assertOwnedBy(secret, tc);

        for (int k = 0; k < 3; k++) {
            TrackerShard ts = awaitValue(shardNamed(k));
            assertOwnedBy(ts, tc);
            assertThat(ts.getSpec().index).isEqualTo(k);
            assertThat(ts.getSpec().replicas).isEqualTo(1);
            assertThat(ts.getSpec().slots).hasSize(1);
            assertThat(ts.getSpec().slots.get(0)).isEqualTo(map.shards().get(k).ranges().get(0).first() + "-"
                    + map.shards().get(k).ranges().get(0).last());

            Deployment d = awaitValue(() -> get(Deployment.class, "tr-shard-" + ts.getSpec().index));
            assertOwnedBy(d, ts);
            assertThat(container(d).getArgs()).containsSequence("--port", "6969")
                    .containsSequence("--internal-port", "6970").containsSequence("--admin-port", "9090")
                    .containsSequence("--redis", "redis://tr-shard-" + k + "-redis:6379")
                    .containsSequence("--connection-id-key-file", "/etc/shoal/connection-id/key")
                    .containsSequence("--trusted-proxy", "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10,fd00::/8")
                    .containsSequence("--interval", "30m").startsWith("shard");
            assertThat(container(d).getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
            assertThat(container(d).getSecurityContext().getReadOnlyRootFilesystem()).isTrue();

            Service headless = awaitValue(() -> get(Service.class, "tr-shard-" + ts.getSpec().index));
            assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
            assertOwnedBy(headless, ts);
            StatefulSet redis = awaitValue(() -> get(StatefulSet.class, "tr-shard-" + ts.getSpec().index + "-redis"));
            assertOwnedBy(redis, ts);
            assertOwnedBy(awaitValue(() -> get(Service.class, "tr-shard-" + ts.getSpec().index + "-redis")), ts);
            assertOwnedBy(awaitValue(() -> get(PodDisruptionBudget.class, "tr-shard-" + ts.getSpec().index)), ts);
            assertOwnedBy(awaitValue(() -> get(NetworkPolicy.class, "tr-shard-" + ts.getSpec().index + "-redis")), ts);
        }

        Deployment ingress = awaitValue(() -> get(Deployment.class, "tr-ingress"));
        assertOwnedBy(ingress, tc);
        assertThat(ingress.getSpec().getReplicas()).isEqualTo(2);
        assertThat(container(ingress).getArgs()).containsExactly("ingress", "--port", "6969", "--admin-port", "9090",
                "--routing", "configmap:tr-routing", "--connection-id-key-file", "/etc/shoal/connection-id/key");
        assertThat(ingress.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("tr-ingress");
        Service svc = awaitValue(() -> get(Service.class, "tr-ingress"));
        assertThat(svc.getSpec().getType()).isEqualTo("LoadBalancer");
        assertThat(svc.getSpec().getExternalTrafficPolicy()).isEqualTo("Local");
        assertThat(svc.getSpec().getPorts()).extracting(p -> p.getProtocol() + "/" + p.getPort())
                .containsExactly("UDP/6969", "TCP/6969");
        assertOwnedBy(awaitValue(() -> get(PodDisruptionBudget.class, "tr-ingress")), tc);
        assertOwnedBy(awaitValue(() -> get(NetworkPolicy.class, "tr-shards")), tc);
        assertOwnedBy(awaitValue(() -> get(ServiceAccount.class, "tr-ingress")), tc);
        Role role = awaitValue(() -> get(Role.class, "tr-ingress"));
        assertThat(role.getRules()).singleElement().satisfies(r -> {
            assertThat(r.getResourceNames()).containsExactly("tr-routing");
            assertThat(r.getVerbs()).containsExactlyInAnyOrder("get", "list", "watch");
        });
        assertOwnedBy(awaitValue(() -> get(RoleBinding.class, "tr-ingress")), tc);

        await().atMost(WAIT).untilAsserted(() -> {
            TrackerCluster now = cluster();
            assertThat(now.getStatus()).isNotNull();
            assertThat(now.getStatus().observedGeneration).isEqualTo(now.getMetadata().getGeneration());
            assertThat(now.getStatus().routingEpoch).isEqualTo(1L);
            assertThat(now.getStatus().shards).isEqualTo(3);
            assertThat(now.getStatus().readyShards).isZero();
            assertThat(now.getStatus().selector).isEqualTo("tracker.shoal.io/cluster=tr,tracker.shoal.io/component=shard");
            assertThat(now.getStatus().endpoints).containsExactly("udp://tr-ingress.trackers.svc:6969/announce",
                    "http://tr-ingress.trackers.svc:6969/announce");
            assertThat(Conditions.find(now.getStatus().conditions, "Ready")).hasValueSatisfying(c ->
                    assertThat(c.getStatus()).isEqualTo("False"));
            assertThat(Conditions.isTrue(now.getStatus().conditions, "Progressing")).isTrue();
        });
    }

    /** Plays the Deployment and StatefulSet controllers: every pod of every workload is ready. */
    private void makeAllReady() {
        for (Deployment d : client.apps().deployments().inNamespace(NS).list().getItems()) {
            if (d.getStatus() == null || !d.getSpec().getReplicas().equals(d.getStatus().getReadyReplicas())) {
                api.markReady(d);
            }
        }
        for (StatefulSet s : client.apps().statefulSets().inNamespace(NS).list().getItems()) {
            if (s.getStatus() == null || s.getStatus().getReadyReplicas() == null) {
                api.markReady(s);
            }
        }
    }

    private void awaitClusterReady(int shards) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            makeAllReady();
            TrackerCluster now = cluster();
            assertThat(now.getStatus()).isNotNull();
            assertThat(now.getStatus().shards).isEqualTo(shards);
            assertThat(Conditions.isTrue(now.getStatus().conditions, "Ready")).isTrue();
        });
    }

    /** As `kubectl edit` does: read, change, write with the version read; again on a conflict with the operator. */
    private static void retryOnConflict(Runnable write) {
        for (int attempt = 1; ; attempt++) {
            try {
                write.run();
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 10) {
                    throw e;
                }
            }
        }
    }

    private void editCluster(java.util.function.Consumer<TrackerCluster> change) {
        retryOnConflict(() -> clusters().inNamespace(NS).withName(NAME).edit(tc -> {
            change.accept(tc);
            return tc;
        }));
    }

    private List<TrackerShard> shardList() {
        return shards().inNamespace(NS).list().getItems();
    }

    /** Every object in the namespace with its resourceVersion. */
    private Map<String, String> versions() {
        Map<String, String> m = new TreeMap<>();
        List<List<? extends HasMetadata>> all = List.of(
                clusters().inNamespace(NS).list().getItems(), shards().inNamespace(NS).list().getItems(),
                client.configMaps().inNamespace(NS).list().getItems(), client.secrets().inNamespace(NS).list().getItems(),
                client.services().inNamespace(NS).list().getItems(),
                client.apps().deployments().inNamespace(NS).list().getItems(),
                client.apps().statefulSets().inNamespace(NS).list().getItems(),
                client.policy().v1().podDisruptionBudget().inNamespace(NS).list().getItems(),
                client.network().v1().networkPolicies().inNamespace(NS).list().getItems(),
                client.serviceAccounts().inNamespace(NS).list().getItems(),
                client.rbac().roles().inNamespace(NS).list().getItems(),
                client.rbac().roleBindings().inNamespace(NS).list().getItems());
        for (List<? extends HasMetadata> list : all) {
            for (HasMetadata o : list) {
                m.put(o.getKind() + "/" + o.getMetadata().getName(), o.getMetadata().getResourceVersion());
            }
        }
        return m;
    }

    /** The versions once nothing has changed for a while: the operator has nothing left to do. */
    private Map<String, String> quietVersions() {
        java.util.concurrent.atomic.AtomicReference<Map<String, String>> last =
                new java.util.concurrent.atomic.AtomicReference<>(versions());
        await().atMost(WAIT).pollDelay(Duration.ofMillis(1500)).pollInterval(Duration.ofMillis(1500))
                .until(() -> last.getAndSet(versions()).equals(last.get()));
        return last.get();
    }

    @Test
    void readinessMovesTheConditionsFromProgressingToReady() {
        createCluster(2);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(client.apps().deployments().inNamespace(NS).list().getItems()).hasSize(3);
            assertThat(clusterStatus().conditions).isNotEmpty();
        });
        TrackerCluster before = cluster();
        String degradedSince = Conditions.find(before.getStatus().conditions, "Degraded").orElseThrow()
                .getLastTransitionTime();
        assertThat(Conditions.find(before.getStatus().conditions, "Ready").orElseThrow().getStatus()).isEqualTo("False");
        assertThat(Conditions.isTrue(before.getStatus().conditions, "Progressing")).isTrue();

        awaitClusterReady(2);
        TrackerCluster after = cluster();
        assertThat(after.getStatus().readyShards).isEqualTo(2);
        assertThat(Conditions.find(after.getStatus().conditions, "Ready").orElseThrow().getReason()).isEqualTo("ClusterReady");
        assertThat(Conditions.isTrue(after.getStatus().conditions, "Progressing")).isFalse();
        assertThat(Conditions.find(after.getStatus().conditions, "Degraded").orElseThrow().getLastTransitionTime())
                .as("Degraded never flipped").isEqualTo(degradedSince);
        for (TrackerShard ts : shardList()) {
            assertThat(ts.getStatus().readyReplicas).isEqualTo(1);
            assertThat(ts.getStatus().redisReady).isTrue();
            assertThat(Conditions.isTrue(ts.getStatus().conditions, "Ready")).isTrue();
            assertThat(ts.getStatus().slotCount).isEqualTo(32768);
        }
        assertThat(client.v1().events().inNamespace(NS).list().getItems())
                .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("ClusterReady"));
    }

    @Test
    void scalesThreeToFiveToTwoMovingTheFewestSlots() {
        createCluster(3);
        awaitClusterReady(3);
        SlotMap three = routing();

        editCluster(tc -> tc.getSpec().shards = 5);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(shardList()).hasSize(5);
            TrackerCluster now = cluster();
            assertThat(now.getStatus()).isNotNull();
            assertThat(now.getStatus().reshardTarget).isEqualTo(5);
            assertThat(Conditions.isTrue(now.getStatus().conditions, "Resharding")).isTrue();
            assertThat(Conditions.isTrue(now.getStatus().conditions, "Ready")).isFalse();
        });
        assertThat(routing()).as("nothing is routed to shards that are not ready").isEqualTo(three);

        awaitClusterReady(5);
        SlotMap five = routing();
        assertThat(five.epoch()).isEqualTo(2);
        assertThat(five).isEqualTo(Rebalancer.rebalance(three, 5, k -> "tr-shard-" + k + ":6970"));
        int moved = Rebalancer.moves(three, five).stream().mapToInt(m -> m.slots().size()).sum();
        assertThat(moved).as("only the new shards' slots move")
                .isEqualTo(five.shards().get(3).slotCount() + five.shards().get(4).slotCount());
        await().atMost(WAIT).untilAsserted(() -> {
            for (TrackerShard ts : shardList()) {
                assertThat(ts.getSpec().slots).isEqualTo(io.shoal.operator.resources.TrackerShards.slots(
                        five.shards().get(ts.getSpec().index)));
            }
            assertThat(clusterStatus().reshardTarget).isNull();
        });

        // fabric8's mock implements /scale as spec.replicas whatever the CRD's specReplicasPath says, so
        // `kubectl scale tc` (which writes spec.shards through the subresource) is played by its effect.
        editCluster(tc -> tc.getSpec().shards = 2);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(cluster().getSpec().shards).isEqualTo(2);
            assertThat(routing().shardCount()).isEqualTo(2);
            assertThat(shardList()).extracting(ts -> ts.getMetadata().getName())
                    .containsExactlyInAnyOrder("tr-shard-0", "tr-shard-1");
        });
        SlotMap two = routing();
        assertThat(two.epoch()).isEqualTo(3);
        assertThat(two).isEqualTo(Rebalancer.rebalance(five, 2));
        for (SlotMove m : Rebalancer.moves(five, two)) {
            assertThat(m.fromShard()).as("only removed shards and the excess move").isIn(0, 1, 2, 3, 4);
        }
        awaitClusterReady(2);
    }

    @Test
    void aShardScaledAloneIsLeftAlone() {
        createCluster(2);
        awaitValue(shardNamed(1));
        retryOnConflict(() -> shards().inNamespace(NS).withName("tr-shard-1").scale(3));
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(get(Deployment.class, "tr-shard-1").getSpec().getReplicas()).isEqualTo(3));

        editCluster(tc -> tc.getSpec().image = "registry.example/shoal-tracker:2");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(container(get(Deployment.class, "tr-shard-1")).getImage()).isEqualTo("registry.example/shoal-tracker:2");
            assertThat(container(get(Deployment.class, "tr-shard-0")).getImage()).isEqualTo("registry.example/shoal-tracker:2");
            assertThat(container(get(Deployment.class, "tr-ingress")).getImage()).isEqualTo("registry.example/shoal-tracker:2");
        });
        assertThat(shardNamed(1).get().getSpec().replicas).isEqualTo(3);
        assertThat(get(Deployment.class, "tr-shard-1").getSpec().getReplicas()).isEqualTo(3);
        assertThat(shardNamed(0).get().getSpec().replicas).isEqualTo(1);

        editCluster(tc -> tc.getSpec().replicasPerShard = 2);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(get(Deployment.class, "tr-shard-0").getSpec().getReplicas()).isEqualTo(2);
            assertThat(get(Deployment.class, "tr-shard-1").getSpec().getReplicas()).isEqualTo(2);
        });
    }

    @Test
    void managedObjectsEditedBySomeoneElseArePutBack() {
        createCluster(1);
        Deployment ingress = awaitValue(() -> get(Deployment.class, "tr-ingress"));
        awaitValue(() -> get(NetworkPolicy.class, "tr-shards"));
        awaitValue(() -> get(StatefulSet.class, "tr-shard-0-redis"));

        retryOnConflict(() -> client.apps().deployments().inNamespace(NS).withName("tr-ingress").edit(d -> {
            container(d).setImage("someone/else");
            d.getSpec().setReplicas(7);
            return d;
        }));
        retryOnConflict(() -> client.services().inNamespace(NS).withName("tr-ingress").edit(s -> {
            s.getSpec().setType("NodePort");
            return s;
        }));
        client.network().v1().networkPolicies().inNamespace(NS).withName("tr-shards").delete();
        retryOnConflict(() -> client.apps().statefulSets().inNamespace(NS).withName("tr-shard-0-redis").edit(s -> {
            s.getSpec().getTemplate().getSpec().getContainers().get(0).setArgs(List.of("--port", "1"));
            return s;
        }));

        await().atMost(WAIT).untilAsserted(() -> {
            Deployment d = get(Deployment.class, "tr-ingress");
            assertThat(container(d).getImage()).isEqualTo(container(ingress).getImage());
            assertThat(d.getSpec().getReplicas()).isEqualTo(2);
            assertThat(get(Service.class, "tr-ingress").getSpec().getType()).isEqualTo("LoadBalancer");
            assertThat(get(NetworkPolicy.class, "tr-shards")).isNotNull();
            assertThat(get(StatefulSet.class, "tr-shard-0-redis").getSpec().getTemplate().getSpec().getContainers()
                    .get(0).getArgs()).contains("noeviction");
        });
    }

    @Test
    void theRoutingConfigMapIsTheSourceOfTruth() {
        createCluster(2);
        awaitClusterReady(2);
        SlotMap byHand = new SlotMap(5, List.of(
                new io.shoal.routing.ShardSlots(0, List.of(new io.shoal.routing.SlotRange(0, 1000)), "tr-shard-0:6970"),
                new io.shoal.routing.ShardSlots(1, List.of(new io.shoal.routing.SlotRange(1001, 65535)), "tr-shard-1:6970")));
        writeRouting(byHand.toJson());
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(shardNamed(0).get().getSpec().slots).containsExactly("0-1000");
            assertThat(shardNamed(1).get().getSpec().slots).containsExactly("1001-65535");
            assertThat(clusterStatus().routingEpoch).isEqualTo(5L);
        });
        assertThat(routing()).isEqualTo(byHand);

        writeRouting("{\"epoch\":6,\"shards\":[]}");
        await().atMost(WAIT).untilAsserted(() -> assertThat(Conditions.find(clusterStatus().conditions, "Degraded"))
                .hasValueSatisfying(c -> {
                    assertThat(c.getStatus()).isEqualTo("True");
                    assertThat(c.getReason()).isEqualTo("RoutingMapInvalid");
                }));
        assertThat(get(ConfigMap.class, "tr-routing").getData().get("routing.json"))
                .as("a broken map is reported, not replaced").isEqualTo("{\"epoch\":6,\"shards\":[]}");

        writeRouting(byHand.toJson());
        editCluster(tc -> tc.getSpec().shards = 3);
        awaitClusterReady(3);
        assertThat(routing()).isEqualTo(Rebalancer.rebalance(byHand, 3, k -> "tr-shard-" + k + ":6970"));
        assertThat(routing().epoch()).isEqualTo(6);
    }

    private void writeRouting(String json) {
        retryOnConflict(() -> client.configMaps().inNamespace(NS).withName("tr-routing").edit(cm -> {
            cm.getData().put("routing.json", json);
            return cm;
        }));
    }

    @Test
    void aReplacedConnectionIdKeyRollsEveryTrackerPod() {
        createCluster(1);
        Deployment ingress = awaitValue(() -> get(Deployment.class, "tr-ingress"));
        Deployment shard = awaitValue(() -> get(Deployment.class, "tr-shard-0"));
        String digest = ingress.getSpec().getTemplate().getMetadata().getAnnotations().get(PodParts.KEY_DIGEST_ANNOTATION);
        assertThat(shard.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry(PodParts.KEY_DIGEST_ANNOTATION, digest);

        client.secrets().inNamespace(NS).withName("tr-connection-id").delete();
        await().atMost(WAIT).untilAsserted(() -> {
            Secret secret = get(Secret.class, "tr-connection-id");
            assertThat(secret).isNotNull();
            String key = new String(Base64.getDecoder().decode(secret.getData().get("key")), StandardCharsets.US_ASCII);
            String now = PodParts.keyDigest(key);
            assertThat(now).isNotEqualTo(digest);
            for (String name : List.of("tr-ingress", "tr-shard-0")) {
                assertThat(get(Deployment.class, name).getSpec().getTemplate().getMetadata().getAnnotations())
                        .containsEntry(PodParts.KEY_DIGEST_ANNOTATION, now);
            }
        });
    }

    @Test
    void anObjectInTheWayIsLeftAloneAndReported() {
        Service theirs = client.services().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.ServiceBuilder()
                .withNewMetadata().withName("tr-ingress").withNamespace(NS).endMetadata()
                .withNewSpec().withType("ClusterIP").addNewPort().withPort(80).endPort().endSpec().build()).create();
        createCluster(1);
        await().atMost(WAIT).untilAsserted(() -> assertThat(Conditions.find(clusterStatus().conditions, "Degraded"))
                .hasValueSatisfying(c -> {
                    assertThat(c.getStatus()).isEqualTo("True");
                    assertThat(c.getReason()).isEqualTo("ObjectNotOwned");
                    assertThat(c.getMessage()).isEqualTo("Service tr-ingress exists and is not managed by this operator;"
                            + " delete or rename it");
                }));
        Service still = get(Service.class, "tr-ingress");
        assertThat(still.getMetadata().getResourceVersion()).isEqualTo(theirs.getMetadata().getResourceVersion());
        assertThat(still.getMetadata().getOwnerReferences()).isNullOrEmpty();

        client.services().inNamespace(NS).withName("tr-ingress").delete();
        // The operator looks again after a while; a spec change makes it look at once.
        editCluster(tc -> tc.getSpec().ingress.replicas = 3);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(get(Service.class, "tr-ingress").getSpec().getType()).isEqualTo("LoadBalancer");
            assertThat(Conditions.isTrue(clusterStatus().conditions, "Degraded")).isFalse();
        });
    }

    @Test
    void anInvalidSpecIsReportedAndChangesNothingRunning() {
        createCluster(2);
        awaitClusterReady(2);
        Map<String, String> before = quietVersions();

        editCluster(tc -> {
            tc.getSpec().announce.minInterval = "2h";
            tc.getSpec().shards = 4;
        });
        await().atMost(WAIT).untilAsserted(() -> {
            TrackerCluster now = cluster();
            assertThat(now.getStatus()).isNotNull();
            assertThat(now.getStatus().observedGeneration).isEqualTo(now.getMetadata().getGeneration());
            assertThat(Conditions.find(now.getStatus().conditions, "Degraded")).hasValueSatisfying(c -> {
                assertThat(c.getStatus()).isEqualTo("True");
                assertThat(c.getReason()).isEqualTo("InvalidSpec");
                assertThat(c.getMessage()).contains("spec.announce.minInterval (2h) must not exceed interval (30m)");
            });
            assertThat(Conditions.find(now.getStatus().conditions, "Ready")).hasValueSatisfying(c -> {
                assertThat(c.getStatus()).isEqualTo("False");
                assertThat(c.getReason()).isEqualTo("InvalidSpec");
            });
        });
        Map<String, String> after = versions();
        after.keySet().removeIf(k -> k.startsWith("TrackerCluster/"));
        before.keySet().removeIf(k -> k.startsWith("TrackerCluster/"));
        assertThat(after).as("nothing but the TrackerCluster's status changed").isEqualTo(before);
        assertThat(client.v1().events().inNamespace(NS).list().getItems())
                .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("InvalidSpec"));

        editCluster(tc -> tc.getSpec().announce.minInterval = "15m");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(Conditions.isTrue(clusterStatus().conditions, "Degraded")).isFalse();
            assertThat(shardList()).hasSize(4);
        });
    }

    @Test
    void reconcilingAgainChangesNothing() {
        createCluster(2);
        awaitClusterReady(2);
        Map<String, String> before = quietVersions();
        int reconciles = api.reconcileCount("TrackerCluster", NAME);

        // A label someone else adds is theirs to keep; the change makes the cluster reconcile again.
        retryOnConflict(() -> client.configMaps().inNamespace(NS).withName("tr-routing").edit(cm -> {
            cm.getMetadata().getLabels().put("example.com/team", "trackers");
            return cm;
        }));
        String touched = get(ConfigMap.class, "tr-routing").getMetadata().getResourceVersion();
        await().atMost(WAIT).until(() -> api.reconcileCount("TrackerCluster", NAME) > reconciles);

        Map<String, String> after = quietVersions();
        before.put("ConfigMap/tr-routing", touched);
        assertThat(after).isEqualTo(before);
        assertThat(get(ConfigMap.class, "tr-routing").getMetadata().getLabels()).containsEntry("example.com/team", "trackers");
    }

    @Test
    void deleteLeavesTheRestToTheGarbageCollector() {
        createCluster(2);
        awaitClusterReady(2);
        TrackerCluster tc = cluster();
        assertThat(tc.getMetadata().getFinalizers()).as("nothing blocks deletion").isEmpty();

        clusters().inNamespace(NS).withName(NAME).delete();
        await().atMost(WAIT).until(() -> cluster() == null);
        // The mock runs no garbage collector: do its work along the owner references.
        for (TrackerShard ts : shardList()) {
            assertThat(ts.getMetadata().getOwnerReferences()).anySatisfy(r -> assertThat(r.getUid())
                    .isEqualTo(tc.getMetadata().getUid()));
            shards().inNamespace(NS).resource(ts).delete();
        }
        await().atMost(WAIT).until(() -> shardList().isEmpty());
        int reconciles = api.reconcileCount("TrackerCluster", NAME);
        Map<String, String> left = quietVersions();
        assertThat(left).doesNotContainKeys("TrackerShard/tr-shard-0", "TrackerShard/tr-shard-1");
        assertThat(api.reconcileCount("TrackerCluster", NAME)).as("a deleted cluster is not reconciled").isEqualTo(reconciles);
    }

    private Supplier<TrackerShard> shardNamed(int k) {
        return () -> shards().inNamespace(NS).withName("tr-shard-" + k).get();
    }
}
