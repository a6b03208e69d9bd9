package io.shoal.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.ArrayList;
import java.util.List;

/**
 * Desired state of one shard. Written by the cluster's reconciler from the TrackerCluster, except
 * {@code replicas}, which the cluster sets only at creation and when its replicasPerShard changes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class TrackerShardSpec {

    @JsonPropertyDescription("Name of the owning TrackerCluster.")
    @Required
    @Size(min = 1, max = 40)
    public String cluster;

    @JsonPropertyDescription("Index of this shard in the routing map, 0..shards-1.")
    @Required
    @Min(0)
    @Max(1023)
    public int index;

    @JsonPropertyDescription("Slot ranges this shard owns as first-last (inclusive), from the routing map.")
    public List<@Pattern("^[0-9]{1,5}-[0-9]{1,5}$") String> slots = new ArrayList<>();

    @JsonPropertyDescription("Tracker pods of this shard. Scale subresource: `kubectl scale trackershard/NAME"
            + " --replicas=N` or an HPA.")
    @Min(1)
    @Max(100)
    @Default("1")
    @SpecReplicas
    public int replicas = 1;

    @JsonPropertyDescription("Container image of the tracker.")
    @Size(min = 1, max = 512)
    @Default("shoal-tracker:latest")
    public String image = "shoal-tracker:latest";

    @JsonPropertyDescription("Image pull policy of the tracker container.")
    @Default("IfNotPresent")
    public PullPolicy imagePullPolicy = PullPolicy.IfNotPresent;

    @JsonPropertyDescription("Announce settings, as in the TrackerCluster.")
    public AnnounceSpec announce = new AnnounceSpec();

    @JsonPropertyDescription("Redis settings, as in the TrackerCluster.")
    public RedisSpec redis = new RedisSpec();

    @JsonPropertyDescription("Access list mode when accessListConfigMap is set.")
    public AccessMode accessMode;

    @JsonPropertyDescription("ConfigMap holding the access list (key infohashes, one per line); absent: no list.")
    public String accessListConfigMap;

    @JsonPropertyDescription("CIDRs from which X-Forwarded-For is trusted (the ingress pods' networks).")
    public List<String> trustedProxies = new ArrayList<>(TrackerClusterSpec.DEFAULT_TRUSTED_PROXIES);

    @JsonPropertyDescription("Digest of the cluster's connection-id key, set by the cluster: pods roll when the key"
            + " changes, so that ingress and shards never hold different keys for long.")
    @Size(max = 64)
    public String connectionIdKeyDigest;

    @JsonPropertyDescription("Compute resources of each tracker pod.")
    public ResourceRequirements resources;
}
