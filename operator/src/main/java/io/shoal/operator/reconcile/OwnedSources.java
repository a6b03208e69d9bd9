package io.shoal.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.shoal.operator.resources.Labels;
import java.util.ArrayList;
import java.util.List;

/**
 * Watches on the objects an owner makes, so that a change to one (its readiness, or an edit by
 * someone else) reconciles the owner. Only objects labelled as the operator's are watched.
 */
final class OwnedSources {

    private OwnedSources() {
    }

    @SafeVarargs
    static <P extends HasMetadata> List<EventSource<?, P>> of(EventSourceContext<P> context, Class<P> owner,
            Class<? extends HasMetadata>... types) {
        List<EventSource<?, P>> sources = new ArrayList<>();
        for (Class<? extends HasMetadata> type : types) {
            sources.add(source(context, owner, type));
        }
        return sources;
    }

    private static <R extends HasMetadata, P extends HasMetadata> EventSource<?, P> source(
            EventSourceContext<P> context, Class<P> owner, Class<R> type) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, owner)
                .withName(type.getSimpleName())
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(owner))
                .withLabelSelector(Labels.MANAGED_BY + "=" + Labels.OPERATOR)
                .withNamespacesInheritedFromController()
                .build(), context);
    }
}
