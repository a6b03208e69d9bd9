package io.shoal.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.shoal.operator.api.v1alpha1.RedisMode;
import io.shoal.operator.api.v1alpha1.TrackerShard;
import io.shoal.operator.api.v1alpha1.TrackerShardSpec;
import io.shoal.operator.api.v1alpha1.TrackerShardStatus;
import io.shoal.operator.resources.Labels;
import io.shoal.operator.resources.NetworkPolicies;
import io.shoal.operator.resources.Names;
import io.shoal.operator.resources.ShardResources;
import io.shoal.operator.resources.TrackerShards;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/** Runs one shard: its tracker Deployment, headless Service, Redis and PodDisruptionBudget. */
@ControllerConfiguration(name = TrackerShardReconciler.NAME)
public class TrackerShardReconciler implements Reconciler<TrackerShard> {

    public static final String NAME = "trackershard";
    private static final Pattern SLOTS = Pattern.compile("^([0-9]{1,5})-([0-9]{1,5})$");

    @Override
    public List<EventSource<?, TrackerShard>> prepareEventSources(EventSourceContext<TrackerShard> context) {
        return OwnedSources.of(context, TrackerShard.class, Deployment.class, Service.class, StatefulSet.class,
                PodDisruptionBudget.class, NetworkPolicy.class);
    }

    @Override
    public UpdateControl<TrackerShard> reconcile(TrackerShard ts, Context<TrackerShard> context) {
        KubernetesSerialization json = context.getClient().getKubernetesSerialization();
        EventRecorder events = new EventRecorder(context.getClient());
        if (ts.getStatus() == null) {
            ts.setStatus(new TrackerShardStatus());
        }
        JsonNode before = StatusWriter.snapshot(json, ts.getStatus());
        TrackerShardStatus status = ts.getStatus();
        Long generation = ts.getMetadata().getGeneration();
        Instant now = Instant.now();
        boolean wasDegraded = Conditions.isTrue(status.conditions, Conditions.DEGRADED);
        boolean wasReady = Conditions.isTrue(status.conditions, Conditions.READY);

        List<String> problems = problems(ts.getSpec());
        if (!problems.isEmpty()) {
            degraded(ts, events, "InvalidSpec", String.join("; ", problems) + ". Nothing running was changed.",
                    "waiting for a valid spec", wasDegraded, now);
            return StatusWriter.control(json, ts, before);
        }

        Deployment deployment;
        boolean redisReady;
        try {
            ManagedObjects objects = new ManagedObjects(context.getClient());
            deployment = objects.apply(ShardResources.deployment(ts));
            objects.apply(ShardResources.headlessService(ts));
            objects.apply(ShardResources.podDisruptionBudget(ts));
            if (ts.getSpec().redis.mode == RedisMode.Managed) {
                StatefulSet redis = objects.apply(ShardResources.redisStatefulSet(ts));
                objects.apply(ShardResources.redisService(ts));
                objects.apply(NetworkPolicies.redis(ts));
                redisReady = redis.getStatus() != null && redis.getStatus().getReadyReplicas() != null
                        && redis.getStatus().getReadyReplicas() >= 1;
            } else {
                // A switch to an external Redis leaves no managed one behind.
                objects.deleteIfOwned(ShardResources.redisStatefulSet(ts));
                objects.deleteIfOwned(ShardResources.redisService(ts));
                objects.deleteIfOwned(NetworkPolicies.redis(ts));
                redisReady = true;
            }
        } catch (ManagedObjects.NotOwnedException e) {
            degraded(ts, events, "ObjectNotOwned", e.getMessage(), "waiting for the object in the way to be removed",
                    wasDegraded, now);
            return StatusWriter.control(json, ts, before).rescheduleAfter(TrackerClusterReconciler.RETRY_NOT_OWNED);
        }

        DeploymentStatus ds = deployment.getStatus();
        int desired = ts.getSpec().replicas;
        int replicas = ds == null || ds.getReplicas() == null ? 0 : ds.getReplicas();
        int ready = ds == null || ds.getReadyReplicas() == null ? 0 : ds.getReadyReplicas();
        int updated = ds == null || ds.getUpdatedReplicas() == null ? 0 : ds.getUpdatedReplicas();
        boolean rolledOut = ds != null && ds.getObservedGeneration() != null
                && Objects.equals(ds.getObservedGeneration(), deployment.getMetadata().getGeneration())
                && updated >= desired && ready >= desired && replicas == desired;

        status.observedGeneration = generation;
        status.replicas = replicas;
        status.readyReplicas = ready;
        status.redisReady = redisReady;
        status.slotCount = TrackerShards.slotCount(ts.getSpec().slots);
        status.selector = Labels.asString(ShardResources.selector(ts));
        status.endpoint = Names.shardEndpoint(ts.getSpec().cluster, ts.getSpec().index);

        boolean isReady = ready >= 1 && redisReady;
        String readyReason = isReady ? "ShardServing" : !redisReady ? "RedisNotReady" : "NoReadyPods";
        String readyMessage = isReady ? ready + " of " + desired + " tracker pods ready"
                : !redisReady ? "the shard's Redis is not ready" : "no tracker pod of the shard is ready yet";
        status.conditions = Conditions.set(status.conditions, Conditions.READY, isReady, readyReason, readyMessage,
                generation, now);
        status.conditions = Conditions.set(status.conditions, Conditions.PROGRESSING, !(rolledOut && redisReady),
                rolledOut && redisReady ? "RolledOut" : "RollingOut",
                rolledOut && redisReady ? "every tracker pod runs the current spec and is ready"
                        : ready + " of " + desired + " tracker pods ready, " + updated + " updated",
                generation, now);
        status.conditions = Conditions.set(status.conditions, Conditions.DEGRADED, false, "AsExpected",
                "the spec is valid", generation, now);
        if (isReady != wasReady) {
            events.record(ts, isReady ? EventRecorder.NORMAL : EventRecorder.WARNING,
                    isReady ? "ShardReady" : "ShardNotReady", readyMessage);
        }
        return StatusWriter.control(json, ts, before);
    }

    private static void degraded(TrackerShard ts, EventRecorder events, String reason, String message,
            String progressing, boolean wasDegraded, Instant now) {
        TrackerShardStatus status = ts.getStatus();
        Long generation = ts.getMetadata().getGeneration();
        boolean sameMessage = Conditions.find(status.conditions, Conditions.DEGRADED)
                .map(c -> message.equals(c.getMessage())).orElse(false);
        status.conditions = Conditions.set(status.conditions, Conditions.READY, false, reason, message, generation, now);
        status.conditions = Conditions.set(status.conditions, Conditions.DEGRADED, true, reason, message, generation, now);
        status.conditions = Conditions.set(status.conditions, Conditions.PROGRESSING, false, reason, progressing,
                generation, now);
        status.observedGeneration = generation;
        if (!wasDegraded || !sameMessage) {
            events.record(ts, EventRecorder.WARNING, reason, message);
        }
    }

    /** The cluster's reconciler writes valid shards; these catch hand edits and servers without the schema. */
    static List<String> problems(TrackerShardSpec s) {
        List<String> p = new ArrayList<>();
        if (s == null) {
            p.add("spec is missing");
            return p;
        }
        if (s.cluster == null || s.cluster.isBlank()) {
            p.add("spec.cluster must name the owning TrackerCluster");
        }
        if (s.replicas < 1 || s.replicas > 100) {
            p.add("spec.replicas must be 1..100, not " + s.replicas);
        }
        if (s.index < 0 || s.index > 1023) {
            p.add("spec.index must be 0..1023, not " + s.index);
        }
        for (String range : s.slots == null ? List.<String>of() : s.slots) {
            var m = range == null ? null : SLOTS.matcher(range);
            if (m == null || !m.matches() || Integer.parseInt(m.group(1)) > Integer.parseInt(m.group(2))
                    || Integer.parseInt(m.group(2)) > 65535) {
                p.add("spec.slots: " + range + " is not first-last within 0..65535");
            }
        }
        if (s.image == null || s.image.isBlank() || s.imagePullPolicy == null) {
            p.add("spec.image and spec.imagePullPolicy are required");
        }
        if (s.announce == null || s.redis == null || s.trustedProxies == null) {
            p.add("spec.announce, spec.redis and spec.trustedProxies are required");
        } else if (s.redis.mode == RedisMode.External && (s.redis.url == null || s.redis.url.isBlank())) {
            p.add("spec.redis.url is required when mode is External");
        }
        return p;
    }
}
