package io.shoal.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T1 = Instant.parse("2026-01-01T00:05:00.750Z");

    @Test
    void transitionTimeMovesOnlyWhenTheStatusFlips() {
        List<Condition> c = Conditions.set(List.of(), "Ready", false, "Starting", "a", 1L, T0);
        List<Condition> same = Conditions.set(c, "Ready", false, "StillStarting", "b", 2L, T1);
        Condition s = Conditions.find(same, "Ready").orElseThrow();
        assertThat(s.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(s.getReason()).isEqualTo("StillStarting");
        assertThat(s.getMessage()).isEqualTo("b");
        assertThat(s.getObservedGeneration()).isEqualTo(2L);

        List<Condition> flipped = Conditions.set(same, "Ready", true, "Up", "c", 2L, T1);
        assertThat(Conditions.find(flipped, "Ready").orElseThrow().getLastTransitionTime())
                .isEqualTo("2026-01-01T00:05:00Z");
        assertThat(Conditions.isTrue(flipped, "Ready")).isTrue();
    }

    @Test
    void otherConditionsKeepTheirPlaceAndTheInputIsNotChanged() {
        List<Condition> c = Conditions.set(List.of(), "Ready", false, "r", "m", 1L, T0);
        c = Conditions.set(c, "Degraded", false, "r", "m", 1L, T0);
        List<Condition> before = List.copyOf(c);
        List<Condition> after = Conditions.set(c, "Ready", true, "r", "m", 1L, T1);
        assertThat(after).extracting(Condition::getType).containsExactly("Ready", "Degraded");
        assertThat(c).isEqualTo(before);
        assertThat(Conditions.isTrue(after, "Missing")).isFalse();
        assertThat(Conditions.isTrue(null, "Ready")).isFalse();
    }
}
