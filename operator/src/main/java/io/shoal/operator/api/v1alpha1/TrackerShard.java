package io.shoal.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One shard of a TrackerCluster, created and owned by it: the slots it serves, its tracker pods and
 * its Redis. Its replicas may be scaled alone (kubectl scale, an HPA) and the cluster leaves them be.
 */
@Group(TrackerCluster.GROUP)
@Version(TrackerCluster.VERSION)
@Kind("TrackerShard")
@Plural("trackershards")
@Singular("trackershard")
@ShortNames("ts")
@AdditionalPrinterColumn(name = "Cluster", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.cluster")
@AdditionalPrinterColumn(name = "Slots", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.slotCount")
@AdditionalPrinterColumn(name = "Ranges", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.slots")
@AdditionalPrinterColumn(name = "Replicas", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".spec.replicas")
@AdditionalPrinterColumn(name = "Ready Replicas", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.readyReplicas")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class TrackerShard extends CustomResource<TrackerShardSpec, TrackerShardStatus> implements Namespaced {

    private static final long serialVersionUID = 1L;

    @Override
    protected TrackerShardSpec initSpec() {
        return new TrackerShardSpec();
    }
}
