package io.shoal.operator.resources;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.shoal.operator.api.v1alpha1.AnnounceSpec;
import io.shoal.operator.api.v1alpha1.RedisMode;
import io.shoal.operator.api.v1alpha1.TrackerShard;
import io.shoal.operator.api.v1alpha1.TrackerShardSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What runs one shard: its tracker Deployment, headless Service, Redis and disruption budget. */
public final class ShardResources {

    private ShardResources() {
    }

    public static Map<String, String> selector(TrackerShard ts) {
        return Labels.selector(ts.getSpec().cluster, Labels.SHARD_COMPONENT, ts.getSpec().index);
    }

    public static Map<String, String> redisSelector(TrackerShard ts) {
        return Labels.selector(ts.getSpec().cluster, Labels.REDIS_COMPONENT, ts.getSpec().index);
    }

    private static String name(TrackerShard ts) {
        return Names.shard(ts.getSpec().cluster, ts.getSpec().index);
    }

    public static String redisUrl(TrackerShard ts) {
        TrackerShardSpec s = ts.getSpec();
        return s.redis.mode == RedisMode.External ? s.redis.url
                : "redis://" + Names.redis(s.cluster, s.index) + ":" + Names.REDIS_PORT;
    }

    /** The shard command line: ports as the contracts fix them, announce settings from the spec. */
    public static List<String> args(TrackerShard ts) {
        TrackerShardSpec s = ts.getSpec();
        AnnounceSpec a = s.announce;
        List<String> args = new ArrayList<>(List.of("shard",
                "--port", Integer.toString(Names.PUBLIC_PORT),
                "--internal-port", Integer.toString(Names.INTERNAL_PORT),
                "--admin-port", Integer.toString(Names.ADMIN_PORT),
                "--trusted-proxy", String.join(",", s.trustedProxies),
                "--redis", redisUrl(ts),
                "--connection-id-key-file", PodParts.KEY_FILE,
                "--interval", a.interval,
                "--min-interval", a.minInterval,
                "--peer-ttl", a.peerTtl,
                "--numwant-default", Integer.toString(a.numwantDefault),
                "--numwant-max", Integer.toString(a.numwantMax)));
        if (s.accessListConfigMap != null) {
            args.addAll(List.of("--access-list", PodParts.ACCESS_LIST_FILE,
                    "--access-mode", TrackerShards.accessModeFlag(s.accessMode)));
        }
        return args;
    }

    public static Deployment deployment(TrackerShard ts) {
        TrackerShardSpec s = ts.getSpec();
        Map<String, String> labels = Labels.all(selector(ts));
        List<Volume> volumes = new ArrayList<>(List.of(PodParts.tmpVolume(), PodParts.connectionIdVolume(s.cluster)));
        List<VolumeMount> mounts = new ArrayList<>(List.of(PodParts.tmpMount(), PodParts.connectionIdMount()));
        if (s.accessListConfigMap != null) {
            volumes.add(new VolumeBuilder().withName("access-list")
                    .withNewConfigMap().withName(s.accessListConfigMap).endConfigMap().build());
            mounts.add(new VolumeMountBuilder().withName("access-list").withMountPath(PodParts.ACCESS_LIST_DIR)
                    .withReadOnly(true).build());
        }
        return new DeploymentBuilder()
                .withMetadata(Owners.meta(ts, name(ts), labels))
                .withNewSpec()
                .withReplicas(s.replicas)
                .withNewSelector().withMatchLabels(selector(ts)).endSelector()
                .withNewTemplate()
                .withNewMetadata().withLabels(labels)
                .withAnnotations(PodParts.podAnnotations(s.connectionIdKeyDigest)).endMetadata()
                .withNewSpec()
                .withAutomountServiceAccountToken(false)
                .withTopologySpreadConstraints(PodParts.spreadOverNodes(selector(ts)))
                .withSecurityContext(PodParts.podSecurity(PodParts.TRACKER_UID))
                .addToContainers(new ContainerBuilder()
                        .withName("shard")
                        .withImage(s.image)
                        .withImagePullPolicy(s.imagePullPolicy.name())
                        .withArgs(args(ts))
                        .withPorts(PodParts.port("tracker-udp", Names.PUBLIC_PORT, "UDP"),
                                PodParts.port("tracker-http", Names.PUBLIC_PORT, "TCP"),
                                PodParts.port("internal-udp", Names.INTERNAL_PORT, "UDP"),
                                PodParts.port("internal-http", Names.INTERNAL_PORT, "TCP"),
                                PodParts.port(PodParts.ADMIN_PORT_NAME, Names.ADMIN_PORT, "TCP"))
                        .withLivenessProbe(PodParts.liveness())
                        .withReadinessProbe(PodParts.readiness())
                        .withResources(PodParts.resourcesOr(s.resources, "250m", "512Mi"))
                        .withSecurityContext(PodParts.containerSecurity())
                        .withVolumeMounts(mounts)
                        .build())
                .withVolumes(volumes)
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static ServicePort servicePort(String name, int port, String protocol) {
        return new ServicePortBuilder().withName(name).withPort(port).withProtocol(protocol)
                .withTargetPort(new IntOrString(port)).build();
    }

    /** Headless: the ingress resolves {@code <cluster>-shard-<k>} to the ready pods' addresses. */
    public static Service headlessService(TrackerShard ts) {
        return new ServiceBuilder()
                .withMetadata(Owners.meta(ts, name(ts), Labels.all(selector(ts))))
                .withNewSpec()
                .withClusterIP("None")
                .withSelector(selector(ts))
                .withPorts(servicePort("tracker-udp", Names.PUBLIC_PORT, "UDP"),
                        servicePort("tracker-http", Names.PUBLIC_PORT, "TCP"),
                        servicePort("internal-udp", Names.INTERNAL_PORT, "UDP"),
                        servicePort("internal-http", Names.INTERNAL_PORT, "TCP"),
                        servicePort(PodParts.ADMIN_PORT_NAME, Names.ADMIN_PORT, "TCP"))
                .endSpec()
                .build();
    }

    public static PodDisruptionBudget podDisruptionBudget(TrackerShard ts) {
        return PodParts.oneAtATime(ts, name(ts), selector(ts));
    }

    /**
     * One Redis for the shard. Peers are soft state (clients re-announce within an interval), so it
     * keeps them in memory only: no persistence, a full Redis refuses writes rather than evicting.
     */
    public static StatefulSet redisStatefulSet(TrackerShard ts) {
        TrackerShardSpec s = ts.getSpec();
        String name = Names.redis(s.cluster, s.index);
        Map<String, String> labels = Labels.all(redisSelector(ts));
        return new StatefulSetBuilder()
                .withMetadata(Owners.meta(ts, name, labels))
                .withNewSpec()
                .withServiceName(name)
                .withReplicas(1)
                .withNewSelector().withMatchLabels(redisSelector(ts)).endSelector()
                .withNewTemplate()
                .withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec()
                .withAutomountServiceAccountToken(false)
                .withSecurityContext(PodParts.podSecurity(PodParts.REDIS_UID))
                .addToContainers(new ContainerBuilder()
                        .withName("redis")
                        .withImage(s.redis.image)
                        .withImagePullPolicy("IfNotPresent")
                        .withCommand("redis-server")
                        .withArgs("--port", Integer.toString(Names.REDIS_PORT), "--save", "", "--appendonly", "no",
                                "--protected-mode", "no", "--maxmemory", s.redis.maxMemory,
                                "--maxmemory-policy", "noeviction")
                        .withPorts(PodParts.port("redis", Names.REDIS_PORT, "TCP"))
                        .withLivenessProbe(new ProbeBuilder().withNewTcpSocket().withPort(new IntOrString("redis"))
                                .endTcpSocket().withInitialDelaySeconds(5).withPeriodSeconds(10).build())
                        .withReadinessProbe(new ProbeBuilder().withNewExec().withCommand("redis-cli", "ping")
                                .endExec().withPeriodSeconds(5).withTimeoutSeconds(2).build())
                        .withResources(PodParts.resourcesOr(s.redis.resources, "100m", "320Mi"))
                        .withSecurityContext(PodParts.containerSecurity())
                        .withVolumeMounts(new VolumeMountBuilder().withName("data").withMountPath("/data").build(),
                                PodParts.tmpMount())
                        .build())
                .withVolumes(new VolumeBuilder().withName("data").withNewEmptyDir().endEmptyDir().build(),
                        PodParts.tmpVolume())
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    public static Service redisService(TrackerShard ts) {
        TrackerShardSpec s = ts.getSpec();
        return new ServiceBuilder()
                .withMetadata(Owners.meta(ts, Names.redis(s.cluster, s.index), Labels.all(redisSelector(ts))))
                .withNewSpec()
                .withSelector(redisSelector(ts))
                .withPorts(servicePort("redis", Names.REDIS_PORT, "TCP"))
                .endSpec()
                .build();
    }
}
