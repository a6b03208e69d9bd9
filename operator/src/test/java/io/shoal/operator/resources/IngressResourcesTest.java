package io.shoal.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.shoal.operator.api.v1alpha1.ServiceType;
import io.shoal.operator.api.v1alpha1.TrackerCluster;
import io.shoal.operator.api.v1alpha1.TrafficPolicy;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngressResourcesTest {

    private final TrackerCluster tc = Fixtures.cluster("tr", 3);

    @Test
    void deploymentRunsTheIngressCommandWithItsServiceAccount() {
        tc.getSpec().ingress.replicas = 3;
        Deployment d = IngressResources.deployment(tc, PodParts.keyDigest("00112233445566778899aabbccddeeff"));
        assertThat(d.getMetadata().getName()).isEqualTo("tr-ingress");
        assertThat(d.getSpec().getReplicas()).isEqualTo(3);
        assertThat(d.getSpec().getSelector().getMatchLabels())
                .isEqualTo(Map.of("tracker.shoal.io/cluster", "tr", "tracker.shoal.io/component", "ingress"));
        assertThat(d.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("tr-ingress");
        assertThat(d.getSpec().getTemplate().getSpec().getTopologySpreadConstraints()).singleElement()
                .satisfies(t -> assertThat(t.getLabelSelector().getMatchLabels()).isEqualTo(IngressResources.selector(tc)));
        Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getArgs()).containsExactly("ingress", "--port", "6969", "--admin-port", "9090",
                "--routing", "configmap:tr-routing", "--connection-id-key-file", "/etc/shoal/connection-id/key");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(d.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry(PodParts.KEY_DIGEST_ANNOTATION, PodParts.keyDigest("00112233445566778899aabbccddeeff"));
    }

    @Test
    void theKeyDigestChangesWithTheKeyAndDoesNotShowIt() {
        String a = PodParts.keyDigest("00112233445566778899aabbccddeeff");
        String b = PodParts.keyDigest("00112233445566778899aabbccddeefe");
        assertThat(a).hasSize(16).isNotEqualTo(b).doesNotContain("0011223344");
    }

    @Test
    void loadBalancerKeepsClientAddressesByDefault() {
        Service s = IngressResources.service(tc);
        assertThat(s.getMetadata().getName()).isEqualTo("tr-ingress");
        assertThat(s.getSpec().getType()).isEqualTo("LoadBalancer");
        assertThat(s.getSpec().getExternalTrafficPolicy()).isEqualTo("Local");
        assertThat(s.getSpec().getPorts()).extracting(p -> p.getName() + "=" + p.getProtocol() + "/" + p.getPort()
                + "->" + p.getTargetPort().getStrVal()).containsExactly("udp=UDP/6969->tracker-udp",
                        "http=TCP/6969->tracker-http");
        assertThat(s.getSpec().getSelector()).containsEntry("tracker.shoal.io/component", "ingress");
    }

    @Test
    void serviceTypePortPolicyAndAnnotationsFollowTheSpec() {
        tc.getSpec().ingress.serviceType = ServiceType.NodePort;
        tc.getSpec().ingress.port = 80;
        tc.getSpec().ingress.serviceAnnotations = Map.of("example.com/lb", "internal");
        Service s = IngressResources.service(tc);
        assertThat(s.getSpec().getType()).isEqualTo("NodePort");
        assertThat(s.getSpec().getExternalTrafficPolicy()).as("Kubernetes' default for NodePort").isNull();
        assertThat(s.getSpec().getPorts()).allSatisfy(p -> assertThat(p.getPort()).isEqualTo(80));
        assertThat(s.getMetadata().getAnnotations()).containsEntry("example.com/lb", "internal");

        tc.getSpec().ingress.externalTrafficPolicy = TrafficPolicy.Local;
        assertThat(IngressResources.service(tc).getSpec().getExternalTrafficPolicy()).isEqualTo("Local");
        tc.getSpec().ingress.serviceType = ServiceType.ClusterIP;
        assertThat(IngressResources.service(tc).getSpec().getExternalTrafficPolicy()).isNull();
    }

    @Test
    void roleAllowsReadingOnlyTheRoutingConfigMap() {
        Role role = IngressResources.role(tc);
        assertThat(role.getRules()).singleElement().satisfies(r -> {
            assertThat(r.getApiGroups()).containsExactly("");
            assertThat(r.getResources()).containsExactly("configmaps");
            assertThat(r.getResourceNames()).containsExactly("tr-routing");
            assertThat(r.getVerbs()).containsExactly("get", "list", "watch");
        });
        RoleBinding rb = IngressResources.roleBinding(tc);
        assertThat(rb.getRoleRef().getName()).isEqualTo("tr-ingress");
        assertThat(rb.getSubjects()).singleElement().satisfies(s -> {
            assertThat(s.getKind()).isEqualTo("ServiceAccount");
            assertThat(s.getName()).isEqualTo(IngressResources.serviceAccount(tc).getMetadata().getName());
            assertThat(s.getNamespace()).isEqualTo("trackers");
        });
    }

    @Test
    void disruptionBudgetCoversTheIngressPods() {
        var pdb = IngressResources.podDisruptionBudget(tc);
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(pdb.getSpec().getSelector().getMatchLabels()).isEqualTo(IngressResources.selector(tc));
    }
}
