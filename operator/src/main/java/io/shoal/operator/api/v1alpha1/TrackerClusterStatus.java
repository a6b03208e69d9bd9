package io.shoal.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;

/** Observed state of a tracker cluster, written only by the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class TrackerClusterStatus {

    @JsonPropertyDescription("The metadata.generation this status describes.")
    public Long observedGeneration;

    @JsonPropertyDescription("Ready, Progressing, Degraded and Resharding, in the metav1.Condition shape.")
    public List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("Shards the routing map currently has.")
    @StatusReplicas
    public Integer shards;

    @JsonPropertyDescription("Shards whose TrackerShard reports Ready.")
    public Integer readyShards;

    @JsonPropertyDescription("Epoch of the routing map in the ConfigMap <name>-routing.")
    public Long routingEpoch;

    @JsonPropertyDescription("Shard count a pending reshard moves to; absent when none is pending.")
    public Integer reshardTarget;

    @JsonPropertyDescription("Label selector of the cluster's shard pods, for the scale subresource.")
    @LabelSelector
    public String selector;

    @JsonPropertyDescription("Announce URLs clients use.")
    public List<String> endpoints = new ArrayList<>();
}
