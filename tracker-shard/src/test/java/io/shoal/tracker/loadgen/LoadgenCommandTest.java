package io.shoal.tracker.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LoadgenCommandTest {

    private static PhaseResult phase(long sent, long ok, long invalid, long errors, long timeouts, long connects) {
        return new PhaseResult("p", sent, ok, invalid, errors, timeouts, 0, 0, connects, 0, 0, 1, 1, 0, 0, 0, 0, 0,
                Map.of());
    }

    private static LoadReport report(PhaseResult load, long networkErrors) {
        return new LoadReport("t", 1, phase(10, 10, 0, 0, 0, 10), phase(0, 0, 0, 0, 0, 0), load, true, 0, 0,
                networkErrors, List.of(), List.of(), null);
    }

    @Test
    void passesOnlyWithoutInvalidRepliesAndWithinThresholds() {
        assertThat(LoadgenCommand.verdict(report(phase(1000, 1000, 0, 0, 0, 0), 0), 0, 0.001)).isNull();
        assertThat(LoadgenCommand.verdict(report(phase(1000, 999, 1, 0, 0, 0), 0), 100, 1.0))
                .contains("1 invalid");
        assertThat(LoadgenCommand.verdict(report(phase(1000, 999, 0, 1, 0, 0), 0), 0, 0.001)).contains("errors");
        assertThat(LoadgenCommand.verdict(report(phase(1000, 999, 0, 1, 0, 0), 0), 1, 0.001)).isNull();
        assertThat(LoadgenCommand.verdict(report(phase(1000, 1000, 0, 0, 0, 0), 1), 0, 0.001)).contains("errors");
        assertThat(LoadgenCommand.verdict(report(phase(1000, 995, 0, 0, 5, 0), 0), 0, 0.001)).contains("timeouts");
        assertThat(LoadgenCommand.verdict(report(phase(1000, 995, 0, 0, 5, 0), 0), 0, 0.01)).isNull();
    }

    @Test
    void readsDurationsWithUnits() {
        LoadgenCommand.DurationConverter c = new LoadgenCommand.DurationConverter();
        assertThat(c.convert("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(c.convert("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.convert("1.5")).isEqualTo(Duration.ofMillis(1500));
        assertThatThrownBy(() -> c.convert("soon")).isInstanceOf(CommandLine.TypeConversionException.class);
    }

    @Test
    void writesTheInfohashesOfTheWorldAsAWhitelist(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("hashes");
        LoadgenRun run = LoadgenRun.of("--seed", "5", "--torrents", "25", "--write-infohashes", file.toString());
        assertThat(run.code()).isZero();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(25).allMatch(l -> l.matches("[0-9a-f]{40}"));
        Workload world = new Workload(5, 1000, 25, 20, 20000);
        assertThat(lines.get(3)).isEqualTo(world.infoHashHex(3));
    }

    @Test
    void refusesBadSettingsAsUsageErrors() {
        assertThat(LoadgenRun.of("--torrents", "5").code()).as("no port").isEqualTo(2);
        assertThat(LoadgenRun.of("--port", "1", "--window", "0").code()).isEqualTo(2);
        assertThat(LoadgenRun.of("--port", "1", "--connection-refresh", "5m").code()).isEqualTo(2);
        assertThat(LoadgenRun.of("--port", "1", "--scrape-hashes", "75").code()).isEqualTo(2);
    }
}
