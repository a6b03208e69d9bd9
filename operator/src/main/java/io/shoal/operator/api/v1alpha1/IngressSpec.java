package io.shoal.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.Map;

/** The public front of the cluster. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "!has(self.externalTrafficPolicy) || self.serviceType != 'ClusterIP'",
        message = "externalTrafficPolicy applies only to serviceType NodePort or LoadBalancer")
public class IngressSpec {

    @JsonPropertyDescription("Ingress pods.")
    @Min(1)
    @Max(100)
    @Default("2")
    public int replicas = 2;

    @JsonPropertyDescription("Type of the ingress Service (UDP and TCP on one Service).")
    @Default("LoadBalancer")
    public ServiceType serviceType = ServiceType.LoadBalancer;

    @JsonPropertyDescription("Port of the ingress Service for UDP and HTTP.")
    @Min(1)
    @Max(65535)
    @Default("6969")
    public int port = 6969;

    @JsonPropertyDescription("externalTrafficPolicy of the Service. Default: Local for LoadBalancer (keeps client"
            + " addresses), the Kubernetes default otherwise.")
    public TrafficPolicy externalTrafficPolicy;

    @JsonPropertyDescription("Annotations of the ingress Service, e.g. for a cloud load balancer.")
    public Map<String, String> serviceAnnotations;

    @JsonPropertyDescription("Compute resources of each ingress pod. Default requests: cpu 250m, memory 256Mi.")
    public ResourceRequirements resources;
}
