package io.shoal.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ChartMetadataTest {

    @Test
    void chartAndAppVersionAreTheProjectVersion() throws IOException {
        JsonNode chart = new YAMLMapper().readTree(Repo.chart().resolve("Chart.yaml").toFile());

        assertThat(chart.path("name").asText()).isEqualTo("shoal-operator");
        assertThat(chart.path("version").asText()).isEqualTo(Repo.version());
        assertThat(chart.path("appVersion").asText()).isEqualTo(Repo.version());
    }
}
