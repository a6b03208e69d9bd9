package io.shoal.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.shoal.operator.cli.OperatorMain;
import io.shoal.operator.resources.PodParts;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

class ChartDeploymentTest {

    private static final RenderedChart DEFAULTS = RenderedChart.defaults();

    private static Container operator(RenderedChart chart) {
        PodSpec pod = chart.one(Deployment.class).getSpec().getTemplate().getSpec();
        assertThat(pod.getContainers()).hasSize(1);
        return pod.getContainers().get(0);
    }

    @Test
    void everyObjectIsInTheReleaseNamespaceOrClusterScoped() {
        DEFAULTS.all().forEach(o -> {
            String kind = o.getKind();
            if (kind.startsWith("Cluster") || kind.equals("CustomResourceDefinition")) {
                assertThat(o.getMetadata().getNamespace()).as(kind).isNull();
            } else {
                assertThat(o.getMetadata().getNamespace()).as(kind + " " + o.getMetadata().getName())
                        .isEqualTo(RenderedChart.NAMESPACE);
            }
        });
    }

    @Test
    void imageIsTheOperatorImageTaggedWithTheProjectVersion() {
        Container c = operator(DEFAULTS);

        assertThat(c.getImage()).isEqualTo("shoal-operator:" + Repo.version());
        assertThat(c.getImagePullPolicy()).isEqualTo("IfNotPresent");

        Container custom = operator(RenderedChart.render(Map.of(
                "image.repository", "registry.example/shoal/shoal-operator", "image.tag", "1.2.3",
                "image.pullPolicy", "Always")));
        assertThat(custom.getImage()).isEqualTo("registry.example/shoal/shoal-operator:1.2.3");
        assertThat(custom.getImagePullPolicy()).isEqualTo("Always");
    }

    @Test
    void runsAsNonRootOnAReadOnlyRootWithNoPrivileges() {
        PodSpec pod = DEFAULTS.one(Deployment.class).getSpec().getTemplate().getSpec();
        Container c = operator(DEFAULTS);

        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        // The images' user, which the operator also gives the tracker pods it makes.
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(PodParts.TRACKER_UID);
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        // A read-only root still needs a writable /tmp for the JVM.
        Volume tmp = pod.getVolumes().stream().filter(v -> v.getName().equals("tmp")).findFirst().orElseThrow();
        assertThat(tmp.getEmptyDir()).isNotNull();
        assertThat(c.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getName()).isEqualTo("tmp");
            assertThat(m.getMountPath()).isEqualTo("/tmp");
        });
    }

    @Test
    void probesAndMetricsUseTheDeclaredPort() {
        Container c = operator(DEFAULTS);
        ContainerPort metrics = c.getPorts().stream().filter(p -> "metrics".equals(p.getName())).findFirst().orElseThrow();

        assertThat(metrics.getContainerPort()).isEqualTo(8080);
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(c.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("metrics");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("metrics");
        assertThat(c.getArgs()).contains("--admin-port=8080");

        Service service = DEFAULTS.one(Service.class);
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getPort()).isEqualTo(8080);
            assertThat(p.getTargetPort().getStrVal()).isEqualTo("metrics");
        });
        assertThat(DEFAULTS.one(Deployment.class).getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(DEFAULTS.one(Deployment.class).getSpec().getSelector().getMatchLabels())
                .isEqualTo(service.getSpec().getSelector());
    }

    @Test
    void metricsServiceCanBeLeftOut() {
        RenderedChart chart = RenderedChart.render(Map.of("metrics.service.enabled", false, "metrics.port", 9100));

        assertThat(chart.all(Service.class)).isEmpty();
        assertThat(operator(chart).getArgs()).contains("--admin-port=9100");
        assertThat(operator(chart).getPorts()).singleElement().satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(9100));
    }

    /** The rendered arguments as the operator's own command line reads them; unknown options fail. */
    private static ParseResult parsed(RenderedChart chart) {
        return new CommandLine(new OperatorMain()).parseArgs(operator(chart).getArgs().toArray(String[]::new));
    }

    @Test
    void valuesReachTheOperatorsCommandLine() {
        ParseResult defaults = parsed(DEFAULTS);
        assertThat(defaults.hasMatchedOption("--namespaces")).isFalse();
        assertThat(defaults.<Boolean>matchedOptionValue("--leader-election", false)).isTrue();
        assertThat(defaults.<String>matchedOptionValue("--lease-name", null))
                .isEqualTo(DEFAULTS.one(Deployment.class).getMetadata().getName());
        assertThat(defaults.<Integer>matchedOptionValue("--admin-port", 0)).isEqualTo(8080);

        ParseResult custom = parsed(RenderedChart.render(Map.of(
                "leaderElection.enabled", false, "watchNamespaces", List.of("team-a", "team-b"), "metrics.port", 9100)));
        assertThat(custom.<List<String>>matchedOptionValue("--namespaces", List.of())).containsExactly("team-a", "team-b");
        assertThat(custom.<Boolean>matchedOptionValue("--leader-election", true)).isFalse();
        assertThat(custom.<Integer>matchedOptionValue("--admin-port", 0)).isEqualTo(9100);
    }

    @Test
    void logLevelReachesTheOperatorsLogbackConfiguration() {
        Container c = operator(DEFAULTS);
        assertThat(c.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("JDK_JAVA_OPTIONS");
            assertThat(e.getValue()).isEqualTo("-Dlogback.configurationFile=/etc/shoal-operator/logback.xml");
        });
        assertThat(c.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/etc/shoal-operator"));
        assertThat(DEFAULTS.one(ConfigMap.class).getData().get("logback.xml")).contains("<root level=\"INFO\">");

        RenderedChart debug = RenderedChart.render(Map.of("logLevel", "debug", "javaOptions", "-XX:MaxRAMPercentage=60"));
        assertThat(debug.one(ConfigMap.class).getData().get("logback.xml"))
                .contains("<root level=\"DEBUG\">", "<logger name=\"io.fabric8\" level=\"DEBUG\"/>");
        assertThat(operator(debug).getEnv()).anySatisfy(e -> assertThat(e.getValue())
                .isEqualTo("-Dlogback.configurationFile=/etc/shoal-operator/logback.xml -XX:MaxRAMPercentage=60"));
        // A new level changes the pod template, so the pods restart and read it.
        assertThat(debug.one(Deployment.class).getSpec().getTemplate().getMetadata().getAnnotations())
                .isNotEqualTo(DEFAULTS.one(Deployment.class).getSpec().getTemplate().getMetadata().getAnnotations());

        assertThatThrownBy(() -> RenderedChart.render(Map.of("logLevel", "verbose")))
                .hasMessageContaining("logLevel must be one of");
    }

    @Test
    void resourcesComeFromValues() {
        assertThat(operator(DEFAULTS).getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(operator(DEFAULTS).getResources().getLimits()).containsKey("memory");

        RenderedChart chart = RenderedChart.render(Map.of("resources.limits.memory", "1Gi"));
        assertThat(operator(chart).getResources().getLimits().get("memory").toString()).isEqualTo("1Gi");
    }

    @Test
    void runsUnderItsOwnServiceAccount() {
        ServiceAccount sa = DEFAULTS.one(ServiceAccount.class);

        assertThat(DEFAULTS.one(Deployment.class).getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo(sa.getMetadata().getName());

        RenderedChart existing = RenderedChart.render(Map.of("serviceAccount.create", false, "serviceAccount.name", "mine"));
        assertThat(existing.all(ServiceAccount.class)).isEmpty();
        assertThat(existing.one(Deployment.class).getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo("mine");
    }

    @Test
    void severalReplicasNeedLeaderElection() {
        assertThat(RenderedChart.render(Map.of("replicas", 2)).one(Deployment.class).getSpec().getReplicas())
                .isEqualTo(2);
        assertThatThrownBy(() -> RenderedChart.render(Map.of("replicas", 2, "leaderElection.enabled", false)))
                .hasMessageContaining("needs leaderElection.enabled");
    }
}
