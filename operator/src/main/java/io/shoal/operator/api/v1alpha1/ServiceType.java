package io.shoal.operator.api.v1alpha1;

/** Kubernetes Service types the ingress can be exposed with. */
public enum ServiceType {
    ClusterIP, NodePort, LoadBalancer
}
