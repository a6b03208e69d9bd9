package io.shoal.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.shoal.operator.api.v1alpha1.TrackerCluster;
import io.shoal.operator.resources.Names;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * e2e/k8s/walkthrough.sh cannot meet a cluster here; what can be checked is: shellcheck finds nothing, and its dry
 * run renders, with a real Helm, every manifest it would apply, each of which is valid for its kind.
 */
class WalkthroughTest {

    private static final Path SCRIPT = Repo.root().resolve("e2e/k8s/walkthrough.sh");

    record Run(int exit, String output) {
    }

    private static Run run(List<String> command, Path helm) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(Repo.root().toFile()).redirectErrorStream(true);
        if (helm != null) {
            pb.environment().put("HELM", helm.toString());
        }
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static Run dryRun(Path tmp, String... extra) throws IOException, InterruptedException {
        Path helm = HelmShim.install(Files.createDirectories(tmp.resolve("bin")));
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString(), "--dry-run", "--out",
                tmp.resolve("out").toString()));
        command.addAll(List.of(extra));
        Run run = run(command, helm);
        assertThat(run.exit()).as(run.output()).isZero();
        return run;
    }

    private static RenderedChart rendered(Path tmp, String file) throws IOException {
        return RenderedChart.parse(Files.readString(tmp.resolve("out").resolve(file)));
    }

    @Test
    void shellcheckFindsNothing() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("shellcheck", "--severity=info", SCRIPT.toString()));
        try (var images = Files.list(Repo.root().resolve("images"))) {
            images.filter(p -> p.toString().endsWith(".sh")).sorted().forEach(p -> command.add(p.toString()));
        }
        Run run;
        try {
            run = run(command, null);
        } catch (IOException e) {
            throw new AssertionError("shellcheck is not installed (Debian: apt-get install shellcheck)", e);
        }
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(command).hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void saysAtItsTopThatItCannotRunHere() throws IOException, InterruptedException {
        assertThat(Files.readString(SCRIPT).lines().limit(12).toList())
                .anyMatch(line -> line.contains("CANNOT RUN ON THE PROJECT'S BUILD MACHINES"));
        Run help = run(List.of("bash", SCRIPT.toString(), "--help"), null);
        assertThat(help.exit()).isZero();
        assertThat(help.output()).contains("--dry-run", "--kind", "--registry");
    }

    @Test
    void dryRunRendersEveryManifestItWouldApply(@TempDir Path tmp) throws IOException, InterruptedException {
        Run run = dryRun(tmp);
        String version = Repo.version();

        assertThat(run.output()).contains("would apply: " + tmp.resolve("out/01-operator.yaml"), "rendered 5 manifests");

        RenderedChart operator = rendered(tmp, "01-operator.yaml");
        assertThat(operator.all(CustomResourceDefinition.class)).hasSize(2);
        Container op = operator.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(op.getImage()).isEqualTo("shoal-operator:" + version);
        assertThat(operator.all()).allSatisfy(o -> assertThat(o.getMetadata().getNamespace())
                .isIn("shoal-system", null));

        var clusterNode = RenderedChart.documents(Files.readString(tmp.resolve("out/02-trackercluster.yaml"))).get(0);
        assertThat(CrdSchema.read(Repo.crds().resolve("trackerclusters.tracker.shoal.io-v1.yml"), TrackerCluster.VERSION)
                .violations(clusterNode)).isEmpty();
        assertThat(clusterNode.path("spec").path("image").asText()).isEqualTo("shoal-tracker:" + version);
        assertThat(clusterNode.path("spec").path("imagePullPolicy").asText()).isEqualTo("IfNotPresent");

        String cluster = clusterNode.path("metadata").path("name").asText();
        for (String file : List.of("03-udp-client.yaml", "04-http-client.yaml", "05-udp-client-after-scale.yaml")) {
            Pod pod = rendered(tmp, file).one(Pod.class);
            assertThat(pod.getSpec().getRestartPolicy()).as(file).isEqualTo("Never");
            assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).as(file).isTrue();
            assertThat(pod.getSpec().getContainers()).as(file).singleElement().satisfies(c -> {
                // The operator's name for the ingress Service of the example's cluster.
                assertThat(c.getArgs()).anyMatch(a -> a.contains(Names.ingress(cluster) + ".shoal-walkthrough.svc"));
                if (file.contains("udp")) {
                    assertThat(c.getImage()).isEqualTo("shoal-tracker:" + version);
                    assertThat(c.getArgs()).startsWith("loadgen", "--host");
                }
            });
        }
    }

    @Test
    void dryRunWithARegistryPrefixesBothImages(@TempDir Path tmp) throws IOException, InterruptedException {
        dryRun(tmp, "--registry", "registry.example/team");

        Container op = rendered(tmp, "01-operator.yaml").one(Deployment.class)
                .getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(op.getImage()).isEqualTo("registry.example/team/shoal-operator:" + Repo.version());
        assertThat(op.getImagePullPolicy()).isEqualTo("Always");
        HasMetadata udp = rendered(tmp, "03-udp-client.yaml").one(Pod.class);
        assertThat(((Pod) udp).getSpec().getContainers().get(0).getImage())
                .isEqualTo("registry.example/team/shoal-tracker:" + Repo.version());
        var cluster = RenderedChart.documents(Files.readString(tmp.resolve("out/02-trackercluster.yaml"))).get(0);
        assertThat(cluster.path("spec").path("image").asText())
                .isEqualTo("registry.example/team/shoal-tracker:" + Repo.version());
    }
}
