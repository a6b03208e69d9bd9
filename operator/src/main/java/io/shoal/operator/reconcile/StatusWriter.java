package io.shoal.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/** Patches a status only when it differs from what the server has: an unchanged status writes nothing. */
final class StatusWriter {

    private StatusWriter() {
    }

    static JsonNode snapshot(KubernetesSerialization json, Object status) {
        return status == null ? null : json.convertValue(status, JsonNode.class);
    }

    static <P extends CustomResource<?, ?>> UpdateControl<P> control(KubernetesSerialization json, P resource,
            JsonNode before) {
        JsonNode after = snapshot(json, resource.getStatus());
        return after != null && after.equals(before) ? UpdateControl.noUpdate() : UpdateControl.patchStatus(resource);
    }
}
