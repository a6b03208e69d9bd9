package io.shoal.operator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CRDs committed under crds/ must be exactly what the Java model generates: users apply the
 * committed files, so a model change without regenerating them would ship a schema that lies.
 */
class CrdFilesTest {

    private static final String HOW_TO_FIX = "regenerate with: ./mvnw -B -pl operator -am process-classes -Dshoal.crds.update";

    private static Path dir(String property) {
        String value = System.getProperty(property);
        assertThat(value).as("system property %s (set by the operator pom)", property).isNotBlank();
        return Path.of(value);
    }

    private static List<String> yamlFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml")).sorted().toList();
        }
    }

    @Test
    void generatesBothCustomResources() throws IOException {
        assertThat(yamlFiles(dir("shoal.crds.generated")))
                .containsExactly("trackerclusters.tracker.shoal.io-v1.yml", "trackershards.tracker.shoal.io-v1.yml");
    }

    @Test
    void committedCrdsEqualGeneratedOnes() throws IOException {
        Path generated = dir("shoal.crds.generated");
        Path committed = dir("shoal.crds.committed");
        assertThat(yamlFiles(committed)).as("CRD files in %s; %s", committed, HOW_TO_FIX)
                .isEqualTo(yamlFiles(generated));
        for (String name : yamlFiles(generated)) {
            assertThat(Files.readString(committed.resolve(name)))
                    .as("%s is stale; %s", committed.resolve(name), HOW_TO_FIX)
                    .isEqualTo(Files.readString(generated.resolve(name)));
        }
    }
}
