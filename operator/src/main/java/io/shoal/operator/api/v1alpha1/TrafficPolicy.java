package io.shoal.operator.api.v1alpha1;

/** Kubernetes' externalTrafficPolicy values. */
public enum TrafficPolicy {
    Cluster, Local
}
