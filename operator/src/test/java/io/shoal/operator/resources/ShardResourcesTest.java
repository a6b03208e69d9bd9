package io.shoal.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.shoal.operator.api.v1alpha1.AccessListSpec;
import io.shoal.operator.api.v1alpha1.AccessMode;
import io.shoal.operator.api.v1alpha1.RedisMode;
import io.shoal.operator.api.v1alpha1.TrackerCluster;
import io.shoal.operator.api.v1alpha1.TrackerShard;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShardResourcesTest {

    private final TrackerCluster tc = Fixtures.cluster("tr", 3);

    private static Container only(PodSpec pod) {
        assertThat(pod.getContainers()).hasSize(1);
        return pod.getContainers().get(0);
    }

    @Test
    void deploymentRunsTheShardCommandHardened() {
        tc.getSpec().announce.interval = "20m";
        tc.getSpec().announce.numwantMax = 100;
        tc.getSpec().trustedProxies = List.of("10.42.0.0/16", "fd00:42::/56");
        TrackerShard ts = Fixtures.shard(tc, 1);
        Deployment d = ShardResources.deployment(ts);
        assertThat(d.getMetadata().getName()).isEqualTo("tr-shard-1");
        assertThat(d.getSpec().getReplicas()).isEqualTo(1);
        Map<String, String> selector = Map.of("tracker.shoal.io/cluster", "tr", "tracker.shoal.io/component", "shard",
                "tracker.shoal.io/shard", "1");
        assertThat(d.getSpec().getSelector().getMatchLabels()).isEqualTo(selector);
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(selector);
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry(PodParts.KEY_DIGEST_ANNOTATION, PodParts.keyDigest("00112233445566778899aabbccddeeff"));
        Container c = only(pod);
        assertThat(c.getImage()).isEqualTo("shoal-tracker:latest");
        assertThat(c.getArgs()).containsExactly("shard", "--port", "6969", "--internal-port", "6970",
                "--admin-port", "9090", "--trusted-proxy", "10.42.0.0/16,fd00:42::/56",
                "--redis", "redis://tr-shard-1-redis:6379",
                "--connection-id-key-file", "/etc/shoal/connection-id/key",
                "--interval", "20m", "--min-interval", "15m", "--peer-ttl", "45m",
                "--numwant-default", "50", "--numwant-max", "100");
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(c.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("admin");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(c.getPorts()).extracting(p -> p.getName() + "=" + p.getProtocol() + "/" + p.getContainerPort())
                .containsExactly("tracker-udp=UDP/6969", "tracker-http=TCP/6969", "internal-udp=UDP/6970",
                        "internal-http=TCP/6970", "admin=TCP/9090");
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getTopologySpreadConstraints()).singleElement().satisfies(t -> {
            assertThat(t.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
            assertThat(t.getWhenUnsatisfiable()).isEqualTo("ScheduleAnyway");
            assertThat(t.getLabelSelector().getMatchLabels()).isEqualTo(selector);
        });
        assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(c.getVolumeMounts()).extracting(m -> m.getMountPath())
                .containsExactly("/tmp", "/etc/shoal/connection-id");
        assertThat(pod.getVolumes()).extracting(v -> v.getSecret() == null ? null : v.getSecret().getSecretName())
                .contains("tr-connection-id");
        assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getEmptyDir()).isNotNull());
        assertThat(d.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
            assertThat(r.getKind()).isEqualTo("TrackerShard");
            assertThat(r.getUid()).isEqualTo("uid-tr-shard-1");
        });
    }

    @Test
    void accessListIsMountedAndPassed() {
        tc.getSpec().accessList = new AccessListSpec();
        tc.getSpec().accessList.mode = AccessMode.Deny;
        tc.getSpec().accessList.infohashes = List.of("ab".repeat(20));
        Deployment d = ShardResources.deployment(Fixtures.shard(tc, 0));
        Container c = only(d.getSpec().getTemplate().getSpec());
        assertThat(c.getArgs()).containsSequence("--access-list", "/etc/shoal/access-list/infohashes",
                "--access-mode", "deny");
        assertThat(c.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/etc/shoal/access-list"));
        assertThat(d.getSpec().getTemplate().getSpec().getVolumes())
                .extracting(v -> v.getConfigMap() == null ? null : v.getConfigMap().getName()).contains("tr-access-list");
    }

    @Test
    void externalRedisIsUsedAsGiven() {
        tc.getSpec().redis.mode = RedisMode.External;
        tc.getSpec().redis.url = "rediss://cache.example:6380/2";
        Container c = only(ShardResources.deployment(Fixtures.shard(tc, 2)).getSpec().getTemplate().getSpec());
        assertThat(c.getArgs()).containsSequence("--redis", "rediss://cache.example:6380/2");
    }

    @Test
    void headlessServiceExposesPublicInternalAndAdminPorts() {
        Service s = ShardResources.headlessService(Fixtures.shard(tc, 0));
        assertThat(s.getMetadata().getName()).isEqualTo("tr-shard-0");
        assertThat(s.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(s.getSpec().getSelector()).containsEntry("tracker.shoal.io/shard", "0")
                .containsEntry("tracker.shoal.io/component", "shard");
        assertThat(s.getSpec().getPorts()).extracting(p -> p.getProtocol() + "/" + p.getPort())
                .containsExactly("UDP/6969", "TCP/6969", "UDP/6970", "TCP/6970", "TCP/9090");
    }

    @Test
    void redisKeepsPeersInMemoryAndRefusesRatherThanEvicts() {
        tc.getSpec().redis.maxMemory = "1gb";
        TrackerShard ts = Fixtures.shard(tc, 2);
        StatefulSet sts = ShardResources.redisStatefulSet(ts);
        assertThat(sts.getMetadata().getName()).isEqualTo("tr-shard-2-redis");
        assertThat(sts.getSpec().getServiceName()).isEqualTo("tr-shard-2-redis");
        assertThat(sts.getSpec().getReplicas()).isEqualTo(1);
        Container c = only(sts.getSpec().getTemplate().getSpec());
        assertThat(c.getImage()).isEqualTo("redis:7.4-alpine");
        assertThat(c.getArgs()).containsSequence("--maxmemory", "1gb").containsSequence("--maxmemory-policy", "noeviction")
                .containsSequence("--save", "");
        assertThat(c.getReadinessProbe().getExec().getCommand()).containsExactly("redis-cli", "ping");
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(sts.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser()).isEqualTo(999L);
        Service svc = ShardResources.redisService(ts);
        assertThat(svc.getMetadata().getName()).isEqualTo("tr-shard-2-redis");
        assertThat(svc.getSpec().getSelector()).isEqualTo(sts.getSpec().getSelector().getMatchLabels());
        assertThat(svc.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(6379));
    }

    @Test
    void disruptionBudgetLetsOnePodGoAtATime() {
        PodDisruptionBudget pdb = ShardResources.podDisruptionBudget(Fixtures.shard(tc, 1));
        assertThat(pdb.getMetadata().getName()).isEqualTo("tr-shard-1");
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(pdb.getSpec().getSelector().getMatchLabels()).containsEntry("tracker.shoal.io/shard", "1");
    }
}
