package io.shoal.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The chart installs the CRDs the operator's model generates, byte for byte. */
class ChartCrdsTest {

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void chartCrdsAreTheGeneratedOnes() throws IOException {
        Path chartCrds = Repo.chart().resolve("crds");
        List<String> generated = names(Repo.crds());

        assertThat(generated).isNotEmpty();
        assertThat(names(chartCrds))
                .as("helm/shoal-operator/crds must hold exactly crds/*: cp crds/*.yml helm/shoal-operator/crds/")
                .isEqualTo(generated);
        for (String name : generated) {
            assertThat(Files.readString(chartCrds.resolve(name)))
                    .as("helm/shoal-operator/crds/%s differs from crds/%s: cp crds/*.yml helm/shoal-operator/crds/",
                            name, name)
                    .isEqualTo(Files.readString(Repo.crds().resolve(name)));
        }
    }

    @Test
    void helmLoadsTheCrdFilesAsTheyAre() throws IOException {
        // `helm show crds`: what `helm install` applies before the templates, file after file.
        String crds = new Helm(Repo.chart()).show().crds().call();

        for (String name : names(Repo.crds())) {
            assertThat(crds).as(name).contains(Files.readString(Repo.crds().resolve(name)).strip());
        }
        assertThat(crds).contains("name: \"trackerclusters.tracker.shoal.io\"", "name: \"trackershards.tracker.shoal.io\"");
    }
}
