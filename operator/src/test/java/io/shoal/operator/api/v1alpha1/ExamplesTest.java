package io.shoal.operator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.shoal.operator.reconcile.SpecProblems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The example manifests users copy must mean what their comments say. */
class ExamplesTest {

    private static TrackerCluster read(String file) throws IOException {
        return new KubernetesSerialization().unmarshal(Files.readString(Path.of("examples", file)), TrackerCluster.class);
    }

    @Test
    void theExampleIsValid() throws IOException {
        TrackerCluster tc = read("trackercluster.yaml");
        assertThat(tc.getSpec().shards).isEqualTo(3);
        assertThat(tc.getSpec().replicasPerShard).isEqualTo(2);
        assertThat(tc.getSpec().redis.maxMemory).isEqualTo("512mb");
        assertThat(tc.getSpec().resources.getRequests()).containsKeys("cpu", "memory");
        assertThat(SpecProblems.of(tc.getMetadata().getName(), tc.getSpec())).isEmpty();
    }

    @Test
    void theInvalidExampleIsInvalidForTheReasonsGiven() throws IOException {
        TrackerCluster tc = read("trackercluster-invalid.yaml");
        assertThat(SpecProblems.of(tc.getMetadata().getName(), tc.getSpec())).containsExactly(
                "spec.announce.numwantDefault must not exceed numwantMax",
                "spec.redis.url must be a redis:// or rediss:// URL when mode is External");
    }
}
