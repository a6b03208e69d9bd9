package io.shoal.operator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.shoal.operator.reconcile.SpecProblems;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The invalid spec the operator README shows is refused for the reasons its comment gives. (The valid
 * examples users copy are in the repository's examples/, checked by the helm module's ExamplesTest.)
 */
class ExamplesTest {

    private static TrackerCluster resource(String name) throws IOException {
        try (InputStream in = ExamplesTest.class.getResourceAsStream("/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new KubernetesSerialization().unmarshal(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    TrackerCluster.class);
        }
    }

    @Test
    void theInvalidExampleIsInvalidForTheReasonsGiven() throws IOException {
        TrackerCluster tc = resource("trackercluster-invalid.yaml");
        assertThat(SpecProblems.of(tc.getMetadata().getName(), tc.getSpec())).containsExactly(
                "spec.announce.numwantDefault must not exceed numwantMax",
                "spec.redis.url must be a redis:// or rediss:// URL when mode is External");
    }
}
