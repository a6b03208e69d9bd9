package io.shoal.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.shoal.operator.api.v1alpha1.ServiceType;
import io.shoal.operator.api.v1alpha1.TrackerCluster;
import io.shoal.operator.api.v1alpha1.TrackerClusterStatus;
import io.shoal.operator.api.v1alpha1.TrackerShard;
import io.shoal.operator.resources.ClusterResources;
import io.shoal.operator.resources.IngressResources;
import io.shoal.operator.resources.Labels;
import io.shoal.operator.resources.Names;
import io.shoal.operator.resources.NetworkPolicies;
import io.shoal.operator.resources.Owners;
import io.shoal.operator.resources.PodParts;
import io.shoal.operator.resources.RoutingDocument;
import io.shoal.operator.resources.TrackerShards;
import io.shoal.routing.SlotMap;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reconciles a TrackerCluster: its key Secret, routing ConfigMap, TrackerShards and ingress tier.
 *
 * <p>Scaling up first creates the new TrackerShards and switches the routing map (bumping its epoch)
 * only once they are ready, so the ingress never routes to a shard that cannot answer. Scaling down
 * switches the map first and then removes the shards that own nothing.
 */
@ControllerConfiguration(name = TrackerClusterReconciler.NAME)
public class TrackerClusterReconciler implements Reconciler<TrackerCluster> {

    public static final String NAME = "trackercluster";
    static final Duration RETRY_NOT_OWNED = Duration.ofSeconds(30);

    @Override
    public List<EventSource<?, TrackerCluster>> prepareEventSources(EventSourceContext<TrackerCluster> context) {
        return OwnedSources.of(context, TrackerCluster.class, TrackerShard.class, ConfigMap.class, Secret.class,
                Deployment.class, Service.class, PodDisruptionBudget.class, NetworkPolicy.class,
                ServiceAccount.class, Role.class, RoleBinding.class);
    }

    @Override
    public UpdateControl<TrackerCluster> reconcile(TrackerCluster tc, Context<TrackerCluster> context) {
        KubernetesClient client = context.getClient();
        KubernetesSerialization json = client.getKubernetesSerialization();
        if (tc.getStatus() == null) {
            tc.setStatus(new TrackerClusterStatus());
        }
        JsonNode before = StatusWriter.snapshot(json, tc.getStatus());
        Pass pass = new Pass(client, tc);
        try {
            pass.run();
        } catch (ManagedObjects.NotOwnedException e) {
            // Nothing watches the object in the way; look again later.
            pass.degraded("ObjectNotOwned", e.getMessage(), "waiting for the object in the way to be removed");
            return StatusWriter.control(json, tc, before).rescheduleAfter(RETRY_NOT_OWNED);
        }
        return StatusWriter.control(json, tc, before);
    }

    /** One reconcile of one cluster. */
    private static final class Pass {

        private final KubernetesClient client;
        private final TrackerCluster tc;
        private final TrackerClusterStatus status;
        private final String name;
        private final String namespace;
        private final Long generation;
        private final Instant now = Instant.now();
        private final ManagedObjects objects;
        private final EventRecorder events;
        private String keyDigest;

        Pass(KubernetesClient client, TrackerCluster tc) {
            this.client = client;
            this.tc = tc;
            this.status = tc.getStatus();
            this.name = tc.getMetadata().getName();
            this.namespace = tc.getMetadata().getNamespace();
            this.generation = tc.getMetadata().getGeneration();
            this.objects = new ManagedObjects(client);
            this.events = new EventRecorder(client);
        }

        void run() {
            List<String> problems = SpecProblems.of(name, tc.getSpec());
            if (!problems.isEmpty()) {
                degraded("InvalidSpec", String.join("; ", problems) + ". Nothing running was changed.",
                        "waiting for a valid spec");
                return;
            }
            SlotMap current;
            ConfigMap routing = client.configMaps().inNamespace(namespace).withName(Names.routingConfigMap(name)).get();
            if (routing == null) {
                current = RoutingDocument.initial(tc.getSpec().shards, name);
            } else {
                try {
                    current = RoutingDocument.parse(routing.getData() == null ? null
                            : routing.getData().get(Names.ROUTING_KEY));
                } catch (IllegalArgumentException e) {
                    degraded("RoutingMapInvalid", "ConfigMap " + routing.getMetadata().getName() + " key "
                            + Names.ROUTING_KEY + " holds no valid slot map (" + e.getMessage()
                            + "); restore it or delete the ConfigMap to start from an even split."
                            + " Nothing running was changed.", "waiting for a valid routing map");
                    return;
                }
            }

            String key = connectionIdKey();
            objects.apply(ClusterResources.connectionIdSecret(tc, key));
            keyDigest = PodParts.keyDigest(key);
            ConfigMap accessList = ClusterResources.accessListConfigMap(tc);
            if (accessList != null) {
                objects.apply(accessList);
            } else {
                objects.deleteIfOwned(new ConfigMapBuilder().withMetadata(Owners.meta(tc,
                        Names.accessListConfigMap(name), Map.of())).build());
            }

            SlotMap target = RoutingDocument.next(current, tc.getSpec().shards, name);
            Map<Integer, TrackerShard> shards = ownedShards();
            SlotMap routed = target;
            if (target.shardCount() > current.shardCount()) {
                // Scale up: the new shards come up on their future slots before any request is routed there.
                ensureShards(current, target, shards);
                if (!newShardsReady(current, target)) {
                    routed = current;
                }
            }
            // Also puts back a document someone edited in form but not in content (e.g. endpoints removed).
            // Written over the version read above: the document is the source of truth, and a change
            // made to it meanwhile must win over a decision taken from the old one (the write then
            // conflicts and the reconcile runs again from the new document).
            objects.applyOver(ClusterResources.routingConfigMap(tc, routed), routing);
            if (routing != null && routed != current) {
                events.record(tc, EventRecorder.NORMAL, "RoutingUpdated", "routing map epoch " + routed.epoch()
                        + ": " + current.shardCount() + " -> " + routed.shardCount() + " shards");
            }
            SlotMap pending = routed == target ? null : target;
            ensureShards(routed, pending, shards);
            for (TrackerShard extra : shards.values()) {
                int index = extra.getSpec().index;
                if (index >= routed.shardCount() && (pending == null || index >= pending.shardCount())) {
                    objects.delete(extra);
                    events.record(tc, EventRecorder.NORMAL, "ShardRemoved", "removed TrackerShard "
                            + extra.getMetadata().getName() + ", which owns no slots any more");
                }
            }

            objects.apply(IngressResources.serviceAccount(tc));
            objects.apply(IngressResources.role(tc));
            objects.apply(IngressResources.roleBinding(tc));
            Deployment ingress = objects.apply(IngressResources.deployment(tc, keyDigest));
            Service service = objects.apply(IngressResources.service(tc));
            objects.apply(IngressResources.podDisruptionBudget(tc));
            objects.apply(NetworkPolicies.shards(tc));

            writeStatus(routed, pending, ingress, service);
        }

        void degraded(String reason, String full, String progressing) {
            boolean wasDegraded = Conditions.isTrue(status.conditions, Conditions.DEGRADED);
            boolean sameMessage = Conditions.find(status.conditions, Conditions.DEGRADED)
                    .map(c -> full.equals(c.getMessage())).orElse(false);
            status.conditions = Conditions.set(status.conditions, Conditions.READY, false, reason, full, generation, now);
            status.conditions = Conditions.set(status.conditions, Conditions.DEGRADED, true, reason, full, generation, now);
            status.conditions = Conditions.set(status.conditions, Conditions.PROGRESSING, false, reason,
                    progressing, generation, now);
            status.observedGeneration = generation;
            if (!wasDegraded || !sameMessage) {
                events.record(tc, EventRecorder.WARNING, reason, full);
            }
        }

        /** The connection-id key: generated once, then kept, so that issued ids stay valid. */
        private String connectionIdKey() {
            Secret secret = client.secrets().inNamespace(namespace).withName(Names.connectionIdSecret(name)).get();
            String key = secret == null ? null : ConnectionIdKey.read(secret);
            if (key != null) {
                return key;
            }
            if (secret != null) {
                events.record(tc, EventRecorder.WARNING, "ConnectionIdKeyReplaced", "Secret "
                        + secret.getMetadata().getName() + " held no valid key; a new one was generated");
            }
            return ConnectionIdKey.generate();
        }

        private Map<Integer, TrackerShard> ownedShards() {
            Map<Integer, TrackerShard> out = new TreeMap<>();
            for (TrackerShard ts : client.resources(TrackerShard.class).inNamespace(namespace)
                    .withLabels(Labels.selector(name, Labels.SHARD_COMPONENT)).list().getItems()) {
                if (Owners.isOwnedBy(ts, tc) && ts.getSpec() != null) {
                    out.put(ts.getSpec().index, ts);
                }
            }
            return out;
        }

        /** TrackerShards for every shard of {@code routed}, plus those only {@code pending} has. */
        private void ensureShards(SlotMap routed, SlotMap pending, Map<Integer, TrackerShard> existing) {
            int count = Math.max(routed.shardCount(), pending == null ? 0 : pending.shardCount());
            for (int k = 0; k < count; k++) {
                SlotMap from = k < routed.shardCount() ? routed : pending;
                TrackerShard actual = existing.get(k);
                int replicas = tc.getSpec().replicasPerShard;
                if (actual != null && actual.getMetadata().getAnnotations() != null && Integer.toString(replicas)
                        .equals(actual.getMetadata().getAnnotations().get(TrackerShards.REPLICAS_FROM))) {
                    replicas = actual.getSpec().replicas;
                }
                TrackerShard applied = objects.apply(TrackerShards.desired(tc, from.shards().get(k), replicas, keyDigest));
                if (actual == null) {
                    events.record(tc, EventRecorder.NORMAL, "ShardCreated", "created TrackerShard "
                            + applied.getMetadata().getName());
                }
                existing.put(k, applied);
            }
        }

        private boolean newShardsReady(SlotMap current, SlotMap target) {
            for (int k = current.shardCount(); k < target.shardCount(); k++) {
                TrackerShard ts = client.resources(TrackerShard.class).inNamespace(namespace)
                        .withName(Names.shard(name, k)).get();
                if (ts == null || ts.getStatus() == null
                        || !Conditions.isTrue(ts.getStatus().conditions, Conditions.READY)) {
                    return false;
                }
            }
            return true;
        }

        private void writeStatus(SlotMap routed, SlotMap pending, Deployment ingress, Service service) {
            int ready = 0;
            for (TrackerShard ts : ownedShards().values()) {
                if (ts.getSpec().index < routed.shardCount() && ts.getStatus() != null
                        && Conditions.isTrue(ts.getStatus().conditions, Conditions.READY)) {
                    ready++;
                }
            }
            int ingressReady = ingress.getStatus() == null || ingress.getStatus().getReadyReplicas() == null ? 0
                    : ingress.getStatus().getReadyReplicas();
            boolean wasReady = Conditions.isTrue(status.conditions, Conditions.READY);

            status.observedGeneration = generation;
            status.shards = routed.shardCount();
            status.readyShards = ready;
            status.routingEpoch = routed.epoch();
            status.reshardTarget = pending == null ? null : pending.shardCount();
            status.selector = Labels.asString(Labels.selector(name, Labels.SHARD_COMPONENT));
            status.endpoints = endpoints(service);

            boolean allShards = ready == routed.shardCount();
            boolean isReady = allShards && ingressReady >= 1 && pending == null;
            String reason;
            String message;
            if (pending != null) {
                reason = "Resharding";
                message = "waiting for the new shards to be ready before routing " + pending.shardCount() + " shards";
            } else if (!allShards) {
                reason = "ShardsNotReady";
                message = ready + " of " + routed.shardCount() + " shards ready";
            } else if (ingressReady < 1) {
                reason = "IngressNotReady";
                message = "no ingress pod is ready yet";
            } else {
                reason = "ClusterReady";
                message = ready + " shards and " + ingressReady + " ingress pods ready, routing epoch " + routed.epoch();
            }
            status.conditions = Conditions.set(status.conditions, Conditions.READY, isReady, reason, message, generation, now);
            status.conditions = Conditions.set(status.conditions, Conditions.PROGRESSING, !isReady,
                    isReady ? "Complete" : reason, isReady ? "the cluster matches its spec" : message, generation, now);
            status.conditions = Conditions.set(status.conditions, Conditions.DEGRADED, false, "AsExpected",
                    "the spec is valid", generation, now);
            status.conditions = Conditions.set(status.conditions, Conditions.RESHARDING, pending != null,
                    pending != null ? "WaitingForNewShards" : "Idle",
                    pending != null ? message : "routing epoch " + routed.epoch() + " with " + routed.shardCount() + " shards",
                    generation, now);
            if (isReady != wasReady) {
                events.record(tc, isReady ? EventRecorder.NORMAL : EventRecorder.WARNING,
                        isReady ? "ClusterReady" : "ClusterNotReady", message);
            }
        }

        private List<String> endpoints(Service service) {
            int port = tc.getSpec().ingress.port;
            List<String> hosts = new ArrayList<>();
            if (tc.getSpec().ingress.serviceType == ServiceType.LoadBalancer && service.getStatus() != null
                    && service.getStatus().getLoadBalancer() != null
                    && service.getStatus().getLoadBalancer().getIngress() != null) {
                for (LoadBalancerIngress lb : service.getStatus().getLoadBalancer().getIngress()) {
                    String host = lb.getHostname() != null ? lb.getHostname() : lb.getIp();
                    if (host != null) {
                        hosts.add(host.contains(":") ? "[" + host + "]" : host);
                    }
                }
            }
            if (hosts.isEmpty()) {
                hosts.add(service.getMetadata().getName() + "." + namespace + ".svc");
            }
            List<String> out = new ArrayList<>();
            for (String host : hosts) {
                out.add("udp://" + host + ":" + port + "/announce");
                out.add("http://" + host + ":" + port + "/announce");
            }
            return out;
        }
    }
}
