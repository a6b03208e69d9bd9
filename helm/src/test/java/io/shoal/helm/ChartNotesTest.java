package io.shoal.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** NOTES.txt, as `helm install` prints it (a client-only dry run), names things that exist. */
class ChartNotesTest {

    private static String notes(InstallCommand install) {
        String output = install.withName(RenderedChart.RELEASE).withNamespace(RenderedChart.NAMESPACE)
                .withKubeVersion(RenderedChart.KUBE_VERSION).clientOnly().dryRun().call().getOutput();
        assertThat(output).contains("NOTES:");
        return output.substring(output.indexOf("NOTES:"));
    }

    @Test
    void saysWhatToDoNextWithRealNames() {
        String notes = notes(new Helm(Repo.chart()).install());
        String deployment = RenderedChart.defaults().one(Deployment.class).getMetadata().getName();

        assertThat(notes).contains("rollout status deployment/" + deployment, "-n " + RenderedChart.NAMESPACE,
                "kubectl get tc", "kubectl scale tc/", "helm uninstall " + RenderedChart.RELEASE,
                "it watches every namespace");
        Matcher example = Pattern.compile("-f (examples/\\S+)").matcher(notes);
        assertThat(example.find()).as("NOTES names an example to apply").isTrue();
        assertThat(Files.isRegularFile(Repo.root().resolve(example.group(1)))).as(example.group(1)).isTrue();
    }

    @Test
    void pointsAtAWatchedNamespaceWhenThereAreSome() {
        String notes = notes(new Helm(Repo.chart()).install().set("watchNamespaces[0]", "team-a"));

        assertThat(notes).contains("it watches the namespaces team-a", "kubectl apply -n team-a -f examples/");
    }
}
