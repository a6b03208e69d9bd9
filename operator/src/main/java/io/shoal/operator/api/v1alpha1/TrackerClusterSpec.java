package io.shoal.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.ArrayList;
import java.util.List;

/**
 * Desired state of a tracker cluster. Field initializers equal the CRD defaults, so an object read
 * from a server that did not apply the schema's defaults means the same thing.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class TrackerClusterSpec {

    /** The pod networks of a typical cluster: the ingress pods' addresses fall inside one of them. */
    public static final List<String> DEFAULT_TRUSTED_PROXIES =
            List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fd00::/8");

    @JsonPropertyDescription("Number of shards; the 65536 infohash slots are split among them. A change moves the"
            + " fewest slots and bumps the routing epoch. Also set by `kubectl scale tc/NAME --replicas=N`.")
    @Min(1)
    @Max(1024)
    @Default("3")
    @SpecReplicas
    public int shards = 3;

    @JsonPropertyDescription("Tracker pods per shard when a shard is created, and for every shard whenever this"
            + " value changes. A TrackerShard scaled alone keeps its own replicas until then.")
    @Min(1)
    @Max(100)
    @Default("1")
    public int replicasPerShard = 1;

    @JsonPropertyDescription("Container image of the tracker (shards and ingress).")
    @Size(min = 1, max = 512)
    @Default("shoal-tracker:latest")
    public String image = "shoal-tracker:latest";

    @JsonPropertyDescription("Image pull policy of the tracker containers.")
    @Default("IfNotPresent")
    public PullPolicy imagePullPolicy = PullPolicy.IfNotPresent;

    @JsonPropertyDescription("What shards tell clients about announcing.")
    @Default("{}")
    public AnnounceSpec announce = new AnnounceSpec();

    @JsonPropertyDescription("Where shards keep their peers: a Redis per shard run by the operator, or an external one.")
    @Default("{}")
    public RedisSpec redis = new RedisSpec();

    @JsonPropertyDescription("The ingress tier: the public UDP and HTTP endpoint that routes each request to its shard.")
    @Default("{}")
    public IngressSpec ingress = new IngressSpec();

    @JsonPropertyDescription("Optional infohash allow or deny list enforced by every shard.")
    public AccessListSpec accessList;

    @JsonPropertyDescription("CIDRs of the cluster's pod networks. Shards trust X-Forwarded-For only from these"
            + " (the ingress pods). Default: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, fd00::/8.")
    @Size(min = 1, max = 32)
    @Default("[\"10.0.0.0/8\",\"172.16.0.0/12\",\"192.168.0.0/16\",\"100.64.0.0/10\",\"fd00::/8\"]")
    public List<@Pattern("^[0-9a-fA-F:.]+/[0-9]{1,3}$") String> trustedProxies =
            new ArrayList<>(DEFAULT_TRUSTED_PROXIES);

    @JsonPropertyDescription("Compute resources of each tracker pod of a shard. Default requests: cpu 250m, memory 512Mi.")
    public ResourceRequirements resources;
}
