package io.shoal.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates or corrects objects the operator owns. An object is written only when it lacks something
 * desired, so reconciling an unchanged cluster writes nothing; an object someone edited is put back.
 * Plain create and update (no server-side apply): see the operator README for why.
 */
public final class ManagedObjects {

    private static final Logger LOG = LoggerFactory.getLogger(ManagedObjects.class);

    private final KubernetesClient client;
    private final KubernetesSerialization json;

    public ManagedObjects(KubernetesClient client) {
        this.client = client;
        this.json = client.getKubernetesSerialization();
    }

    public <T extends HasMetadata> T get(T like) {
        return client.resource(like).get();
    }

    /** Makes the server's object contain {@code desired}; returns what the server holds afterwards. */
    public <T extends HasMetadata> T apply(T desired) {
        T actual = client.resource(desired).get();
        if (actual == null) {
            LOG.info("creating {} {}/{}", desired.getKind(), desired.getMetadata().getNamespace(),
                    desired.getMetadata().getName());
            return client.resource(desired).create();
        }
        requireSameController(desired, actual);
        if (matches(desired, actual)) {
            return actual;
        }
        LOG.info("updating {} {}/{}", desired.getKind(), desired.getMetadata().getNamespace(),
                desired.getMetadata().getName());
        return client.resource(merged(desired, actual)).update();
    }

    /**
     * Like {@link #apply} against the version of the object read earlier ({@code seen}, null when
     * there was none): if someone changed it since, the write fails with a conflict instead of
     * overwriting their change with a decision made from the old one.
     */
    public <T extends HasMetadata> T applyOver(T desired, T seen) {
        if (seen == null) {
            return client.resource(desired).create();
        }
        requireSameController(desired, seen);
        if (matches(desired, seen)) {
            return seen;
        }
        LOG.info("updating {} {}/{}", desired.getKind(), desired.getMetadata().getNamespace(),
                desired.getMetadata().getName());
        return client.resource(merged(desired, seen)).update();
    }

    public <T extends HasMetadata> boolean matches(T desired, T actual) {
        JsonNode d = json.convertValue(desired, JsonNode.class);
        JsonNode a = json.convertValue(actual, JsonNode.class);
        for (var it = d.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (field.equals("metadata") || field.equals("status")) {
                continue;
            }
            if (!DesiredState.contains(a.get(field), d.get(field))) {
                return false;
            }
        }
        JsonNode dm = d.get("metadata");
        JsonNode am = a.get("metadata");
        return DesiredState.contains(am.get("labels"), dm.get("labels"))
                && DesiredState.contains(am.get("annotations"), dm.get("annotations"))
                && DesiredState.contains(am.get("ownerReferences"), dm.get("ownerReferences"));
    }

    /**
     * The desired object on top of the actual one's identity: its resourceVersion (a concurrent
     * change fails the update instead of being lost), its status, the labels and annotations others
     * added, and the fields the server allocated for a Service.
     */
    @SuppressWarnings("unchecked")
    <T extends HasMetadata> T merged(T desired, T actual) {
        ObjectNode d = json.convertValue(desired, ObjectNode.class);
        ObjectNode a = json.convertValue(actual, ObjectNode.class);
        ObjectNode meta = (ObjectNode) d.get("metadata");
        meta.put("resourceVersion", actual.getMetadata().getResourceVersion());
        meta.set("labels", json.convertValue(union(actual.getMetadata().getLabels(),
                desired.getMetadata().getLabels()), JsonNode.class));
        meta.set("annotations", json.convertValue(union(actual.getMetadata().getAnnotations(),
                desired.getMetadata().getAnnotations()), JsonNode.class));
        if (a.has("status")) {
            d.set("status", a.get("status"));
        }
        if ("Service".equals(desired.getKind()) && a.has("spec") && d.has("spec")) {
            ObjectNode ds = (ObjectNode) d.get("spec");
            JsonNode as = a.get("spec");
            for (String allocated : new String[] {"clusterIP", "clusterIPs", "healthCheckNodePort"}) {
                if (!ds.has(allocated) && as.has(allocated)) {
                    ds.set(allocated, as.get(allocated));
                }
            }
        }
        return (T) json.convertValue(d, desired.getClass());
    }

    private static Map<String, String> union(Map<String, String> theirs, Map<String, String> ours) {
        Map<String, String> m = new LinkedHashMap<>();
        if (theirs != null) {
            m.putAll(theirs);
        }
        if (ours != null) {
            m.putAll(ours);
        }
        return m;
    }

    /** Deletes the object named like {@code desired} if it is there and has the same controller. */
    public <T extends HasMetadata> void deleteIfOwned(T desired) {
        T actual = client.resource(desired).get();
        if (actual != null && controllerUid(actual) != null && controllerUid(actual).equals(controllerUid(desired))) {
            client.resource(actual).delete();
        }
    }

    public <T extends HasMetadata> void delete(T like) {
        client.resource(like).delete();
    }

    /**
     * An object with the name the operator wants but another controller, or none (a person's, or
     * one of a deleted cluster the garbage collector has not removed yet), is left alone: taking it
     * over would change what someone else runs, and would let our owner's deletion remove it.
     */
    private static void requireSameController(HasMetadata desired, HasMetadata actual) {
        String want = controllerUid(desired);
        String have = controllerUid(actual);
        if (want != null && !want.equals(have)) {
            throw new NotOwnedException(actual.getKind() + " " + actual.getMetadata().getName()
                    + (have == null ? " exists and is not managed by this operator"
                            : " belongs to another owner (uid " + have + ")")
                    + "; delete or rename it");
        }
    }

    private static String controllerUid(HasMetadata o) {
        return o.getMetadata().getOwnerReferences() == null ? null : o.getMetadata().getOwnerReferences().stream()
                .filter(r -> Boolean.TRUE.equals(r.getController())).map(r -> r.getUid()).findFirst().orElse(null);
    }

    /** An object in the way that the operator must not take over. */
    public static final class NotOwnedException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        NotOwnedException(String message) {
            super(message);
        }
    }
}
