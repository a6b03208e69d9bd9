package io.shoal.tracker.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void parsesPlainSecondsAndUnits() {
        assertThat(Durations.parse("1800")).isEqualTo(Duration.ofSeconds(1800));
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse(" 2H ")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("1d")).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void rejectsWhatIsNotADuration() {
        for (String bad : new String[] {"", "s", "-5", "5x", "1.5m", "99999999999999999s"}) {
            assertThatThrownBy(() -> Durations.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void formatsTheShortestExactForm() {
        assertThat(Durations.format(Duration.ofSeconds(1800))).isEqualTo("30m");
        assertThat(Durations.format(Duration.ofSeconds(7200))).isEqualTo("2h");
        assertThat(Durations.format(Duration.ofDays(7))).isEqualTo("7d");
        assertThat(Durations.format(Duration.ofHours(36))).isEqualTo("36h");
        assertThat(Durations.format(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    }

    @Test
    void parsesRates() {
        assertThat(Durations.parseRate("1/10s")).isEqualTo(new RateLimit(1, Duration.ofSeconds(10)));
        assertThat(Durations.parseRate("5/1m")).isEqualTo(new RateLimit(5, Duration.ofMinutes(1)));
        assertThat(new RateLimit(3, Duration.ofSeconds(20))).hasToString("3/20s");
        for (String bad : new String[] {"10s", "/10s", "1/", "0/10s", "x/10s", "1/0s"}) {
            assertThatThrownBy(() -> Durations.parseRate(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
