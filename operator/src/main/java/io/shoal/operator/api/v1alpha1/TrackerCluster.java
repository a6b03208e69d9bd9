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

/** What users write: a sharded tracker with its ingress. The operator turns it into everything else. */
@Group(TrackerCluster.GROUP)
@Version(TrackerCluster.VERSION)
@Kind("TrackerCluster")
@Plural("trackerclusters")
@Singular("trackercluster")
@ShortNames("tc")
@AdditionalPrinterColumn(name = "Shards", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".spec.shards")
@AdditionalPrinterColumn(name = "Ready Shards", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.readyShards")
@AdditionalPrinterColumn(name = "Epoch", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.routingEpoch")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Reason", type = AdditionalPrinterColumn.Type.STRING, priority = 1,
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class TrackerCluster extends CustomResource<TrackerClusterSpec, TrackerClusterStatus> implements Namespaced {

    public static final String GROUP = "tracker.shoal.io";
    public static final String VERSION = "v1alpha1";
    private static final long serialVersionUID = 1L;

    @Override
    protected TrackerClusterSpec initSpec() {
        return new TrackerClusterSpec();
    }
}
