package io.shoal.operator.resources;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.shoal.operator.api.v1alpha1.IngressSpec;
import io.shoal.operator.api.v1alpha1.ServiceType;
import io.shoal.operator.api.v1alpha1.TrackerCluster;
import io.shoal.operator.api.v1alpha1.TrafficPolicy;
import java.util.List;
import java.util.Map;

/** The ingress tier of a cluster: pods that route each request to its shard, and their Service. */
public final class IngressResources {

    private IngressResources() {
    }

    private static String cluster(TrackerCluster tc) {
        return tc.getMetadata().getName();
    }

    public static Map<String, String> selector(TrackerCluster tc) {
        return Labels.selector(cluster(tc), Labels.INGRESS_COMPONENT);
    }

    private static Map<String, String> labels(TrackerCluster tc) {
        return Labels.all(selector(tc));
    }

    /** What the ingress container runs; flags as the ingress command defines them. */
    public static List<String> args(TrackerCluster tc) {
        return List.of("ingress",
                "--port", Integer.toString(Names.PUBLIC_PORT),
                "--admin-port", Integer.toString(Names.ADMIN_PORT),
                "--routing", "configmap:" + Names.routingConfigMap(cluster(tc)),
                "--connection-id-key-file", PodParts.KEY_FILE);
    }

    /** {@code keyDigest}: {@link PodParts#keyDigest} of the connection-id key, so that a new key rolls the pods. */
    public static Deployment deployment(TrackerCluster tc, String keyDigest) {
        IngressSpec spec = tc.getSpec().ingress;
        return new DeploymentBuilder()
                .withMetadata(Owners.meta(tc, Names.ingress(cluster(tc)), labels(tc)))
                .withNewSpec()
                .withReplicas(spec.replicas)
                .withNewSelector().withMatchLabels(selector(tc)).endSelector()
                .withNewTemplate()
                .withNewMetadata().withLabels(labels(tc))
                .withAnnotations(PodParts.podAnnotations(keyDigest)).endMetadata()
                .withNewSpec()
                .withServiceAccountName(Names.ingress(cluster(tc)))
                .withTopologySpreadConstraints(PodParts.spreadOverNodes(selector(tc)))
                .withSecurityContext(PodParts.podSecurity(PodParts.TRACKER_UID))
                .addNewContainer()
                .withName("ingress")
                .withImage(tc.getSpec().image)
                .withImagePullPolicy(tc.getSpec().imagePullPolicy.name())
                .withArgs(args(tc))
                .withPorts(PodParts.port("tracker-udp", Names.PUBLIC_PORT, "UDP"),
                        PodParts.port("tracker-http", Names.PUBLIC_PORT, "TCP"),
                        PodParts.port(PodParts.ADMIN_PORT_NAME, Names.ADMIN_PORT, "TCP"))
                .withLivenessProbe(PodParts.liveness())
                .withReadinessProbe(PodParts.readiness())
                .withResources(PodParts.resourcesOr(spec.resources, "250m", "256Mi"))
                .withSecurityContext(PodParts.containerSecurity())
                .withVolumeMounts(PodParts.tmpMount(), PodParts.connectionIdMount())
                .endContainer()
                .withVolumes(PodParts.tmpVolume(), PodParts.connectionIdVolume(cluster(tc)))
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /** UDP and HTTP on one Service; Local traffic policy by default for a LoadBalancer keeps client addresses. */
    public static Service service(TrackerCluster tc) {
        IngressSpec spec = tc.getSpec().ingress;
        String policy = null;
        if (spec.serviceType != ServiceType.ClusterIP) {
            if (spec.externalTrafficPolicy != null) {
                policy = spec.externalTrafficPolicy.name();
            } else if (spec.serviceType == ServiceType.LoadBalancer) {
                policy = TrafficPolicy.Local.name();
            }
        }
        return new ServiceBuilder()
                .withMetadata(Owners.meta(tc, Names.ingress(cluster(tc)), labels(tc)))
                .editMetadata().withAnnotations(spec.serviceAnnotations).endMetadata()
                .withNewSpec()
                .withType(spec.serviceType.name())
                .withExternalTrafficPolicy(policy)
                .withSelector(selector(tc))
                .withPorts(new ServicePortBuilder().withName("udp").withProtocol("UDP").withPort(spec.port)
                                .withTargetPort(new IntOrString("tracker-udp")).build(),
                        new ServicePortBuilder().withName("http").withProtocol("TCP").withPort(spec.port)
                                .withTargetPort(new IntOrString("tracker-http")).build())
                .endSpec()
                .build();
    }

    public static PodDisruptionBudget podDisruptionBudget(TrackerCluster tc) {
        return PodParts.oneAtATime(tc, Names.ingress(cluster(tc)), selector(tc));
    }

    public static ServiceAccount serviceAccount(TrackerCluster tc) {
        return new ServiceAccountBuilder()
                .withMetadata(Owners.meta(tc, Names.ingress(cluster(tc)), labels(tc)))
                .build();
    }

    /** The ingress may read and watch its routing ConfigMap and nothing else. */
    public static Role role(TrackerCluster tc) {
        return new RoleBuilder()
                .withMetadata(Owners.meta(tc, Names.ingress(cluster(tc)), labels(tc)))
                .withRules(new PolicyRuleBuilder()
                        .withApiGroups("")
                        .withResources("configmaps")
                        .withResourceNames(Names.routingConfigMap(cluster(tc)))
                        .withVerbs("get", "list", "watch")
                        .build())
                .build();
    }

    public static RoleBinding roleBinding(TrackerCluster tc) {
        return new RoleBindingBuilder()
                .withMetadata(Owners.meta(tc, Names.ingress(cluster(tc)), labels(tc)))
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role")
                .withName(Names.ingress(cluster(tc))).endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withName(Names.ingress(cluster(tc)))
                .withNamespace(tc.getMetadata().getNamespace()).endSubject()
                .build();
    }
}
