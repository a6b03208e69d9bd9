package io.shoal.operator.reconcile;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Kubernetes Events for notable transitions, as `kubectl describe` shows them. */
public final class EventRecorder {

    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

    private final KubernetesClient client;

    public EventRecorder(KubernetesClient client) {
        this.client = client;
    }

    public void record(HasMetadata about, String type, String reason, String message) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String name = about.getMetadata().getName() + "." + Long.toHexString(System.currentTimeMillis())
                + String.format(Locale.ROOT, "%04x", ThreadLocalRandom.current().nextInt(0x10000));
        try {
            client.v1().events().inNamespace(about.getMetadata().getNamespace()).resource(new EventBuilder()
                    .withNewMetadata().withName(name).withNamespace(about.getMetadata().getNamespace()).endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder()
                            .withApiVersion(about.getApiVersion())
                            .withKind(about.getKind())
                            .withName(about.getMetadata().getName())
                            .withNamespace(about.getMetadata().getNamespace())
                            .withUid(about.getMetadata().getUid())
                            .withResourceVersion(about.getMetadata().getResourceVersion())
                            .build())
                    .withType(type)
                    .withReason(reason)
                    .withMessage(message.length() > 1000 ? message.substring(0, 1000) : message)
                    .withFirstTimestamp(now)
                    .withLastTimestamp(now)
                    .withCount(1)
                    .withNewSource().withComponent("shoal-operator").endSource()
                    .build()).create();
        } catch (KubernetesClientException e) {
            // An event is a courtesy to people; failing to write one must not fail the reconcile.
            LOG.warn("could not record event {} on {}: {}", reason, about.getMetadata().getName(), e.getMessage());
        }
    }
}
