package io.shoal.operator.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Conditions in the metav1.Condition shape: lastTransitionTime moves only when the status flips. */
public final class Conditions {

    public static final String READY = "Ready";
    public static final String PROGRESSING = "Progressing";
    public static final String DEGRADED = "Degraded";
    public static final String RESHARDING = "Resharding";

    private Conditions() {
    }

    /** A copy of {@code existing} with condition {@code type} set; other conditions are kept as they are. */
    public static List<Condition> set(List<Condition> existing, String type, boolean status, String reason,
            String message, Long generation, Instant now) {
        List<Condition> out = new ArrayList<>(existing == null ? List.of() : existing);
        String value = status ? "True" : "False";
        Optional<Condition> old = find(out, type);
        String transition = old.filter(c -> value.equals(c.getStatus()))
                .map(Condition::getLastTransitionTime)
                .orElse(now.truncatedTo(ChronoUnit.SECONDS).toString());
        Condition c = new ConditionBuilder()
                .withType(type)
                .withStatus(value)
                .withReason(reason)
                .withMessage(message)
                .withObservedGeneration(generation)
                .withLastTransitionTime(transition)
                .build();
        old.ifPresentOrElse(o -> out.set(out.indexOf(o), c), () -> out.add(c));
        return out;
    }

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        if (conditions == null) {
            return Optional.empty();
        }
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        return find(conditions, type).map(c -> "True".equals(c.getStatus())).orElse(false);
    }
}
