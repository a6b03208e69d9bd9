package io.shoal.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;

/** Observed state of one shard, from its Deployment and Redis StatefulSet. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class TrackerShardStatus {

    @JsonPropertyDescription("The metadata.generation this status describes.")
    public Long observedGeneration;

    @JsonPropertyDescription("Ready, Progressing and Degraded, in the metav1.Condition shape.")
    public List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("Tracker pods of the shard's Deployment.")
    @StatusReplicas
    public Integer replicas;

    @JsonPropertyDescription("Tracker pods that pass their readiness probe.")
    public Integer readyReplicas;

    @JsonPropertyDescription("Whether the shard's managed Redis is ready (true for an external Redis).")
    public Boolean redisReady;

    @JsonPropertyDescription("Number of slots this shard owns.")
    public Integer slotCount;

    @JsonPropertyDescription("Label selector of this shard's pods, for the scale subresource.")
    @LabelSelector
    public String selector;

    @JsonPropertyDescription("host:port the ingress forwards to (the shard's internal port).")
    public String endpoint;
}
