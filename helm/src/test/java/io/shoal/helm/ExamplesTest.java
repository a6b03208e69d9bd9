package io.shoal.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.shoal.operator.api.v1alpha1.TrackerCluster;
import io.shoal.operator.api.v1alpha1.RedisMode;
import io.shoal.operator.api.v1alpha1.ServiceType;
import io.shoal.operator.api.v1alpha1.TrackerClusterSpec;
import io.shoal.operator.reconcile.SpecProblems;
import io.shoal.operator.resources.Names;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every file in examples/ is something the operator's CRDs accept and its Java model reads. */
class ExamplesTest {

    private static final KubernetesSerialization KUBE = new KubernetesSerialization();
    /** Strict: a field the model does not have fails, rather than being ignored. */
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final CrdSchema CLUSTER_SCHEMA =
            CrdSchema.read(Repo.crds().resolve("trackerclusters.tracker.shoal.io-v1.yml"), TrackerCluster.VERSION);
    private static final CrdSchema SHARD_SCHEMA =
            CrdSchema.read(Repo.crds().resolve("trackershards.tracker.shoal.io-v1.yml"), TrackerCluster.VERSION);

    private static JsonNode only(String file) throws IOException {
        List<JsonNode> documents = RenderedChart.documents(Files.readString(Repo.examples().resolve(file)));
        assertThat(documents).as(file).hasSize(1);
        return documents.get(0);
    }

    private static TrackerCluster cluster(String file) throws IOException {
        JsonNode node = only(file);
        assertThat(node.path("apiVersion").asText()).isEqualTo(TrackerCluster.GROUP + "/" + TrackerCluster.VERSION);
        assertThat(node.path("kind").asText()).isEqualTo("TrackerCluster");
        assertThat(CLUSTER_SCHEMA.violations(node)).as(file).isEmpty();
        assertThat(node.has("status")).as("%s: status is the operator's", file).isFalse();
        // Names of the cluster's objects (<name>-shard-<k>, <name>-routing) must stay DNS labels.
        assertThat(node.path("metadata").path("name").asText()).matches("[a-z]([-a-z0-9]{0,38}[a-z0-9])?");
        // The spec through the model with unknown fields failing (metadata is fabric8's and lenient).
        STRICT.treeToValue(node.path("spec"), TrackerClusterSpec.class);
        TrackerCluster tc = KUBE.convertValue(node, TrackerCluster.class);
        // The operator's own spec checks, which mirror the CRD's CEL rules (not evaluated by CrdSchema).
        assertThat(SpecProblems.of(tc.getMetadata().getName(), tc.getSpec())).as(file).isEmpty();
        return tc;
    }

    private static String imageTag(String image) {
        return image.substring(image.lastIndexOf(':') + 1);
    }

    @Test
    void everyExampleIsChecked() throws IOException {
        List<String> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(Repo.examples())) {
            list.filter(p -> p.toString().endsWith(".yaml")).forEach(p -> files.add(p.getFileName().toString()));
        }
        assertThat(files).containsExactlyInAnyOrder("minimal.yaml", "production.yaml", "hpa.yaml");
    }

    @Test
    void minimalIsMinimalAndRunsTheProjectsImage() throws IOException {
        TrackerCluster tc = cluster("minimal.yaml");

        assertThat(only("minimal.yaml").path("spec").size()).as("spec fields").isLessThanOrEqualTo(2);
        assertThat(tc.getSpec().shards).isGreaterThanOrEqualTo(2);
        assertThat(tc.getSpec().image).isEqualTo("shoal-tracker:" + Repo.version());
    }

    @Test
    void productionUsesALoadBalancerExternalRedisResourcesAndReplicas() throws IOException {
        TrackerCluster tc = cluster("production.yaml");
        TrackerClusterSpec spec = tc.getSpec();

        assertThat(spec.ingress.serviceType).isEqualTo(ServiceType.LoadBalancer);
        assertThat(spec.ingress.replicas).isGreaterThan(1);
        assertThat(spec.redis.mode).isEqualTo(RedisMode.External);
        assertThat(spec.redis.url).startsWith("redis").contains("{shard}");
        assertThat(spec.replicasPerShard).isGreaterThan(1);
        assertThat(spec.shards).isGreaterThan(1);
        assertThat(spec.resources.getRequests()).containsKeys("cpu", "memory");
        assertThat(spec.resources.getLimits()).containsKey("memory");
        assertThat(spec.ingress.resources.getRequests()).containsKeys("cpu", "memory");
        assertThat(spec.announce.numwantDefault).isLessThanOrEqualTo(spec.announce.numwantMax);
        assertThat(imageTag(spec.image)).isEqualTo(Repo.version());
    }

    @Test
    void hpaScalesAShardOfTheProductionClusterThroughItsScaleSubresource() throws IOException {
        JsonNode node = only("hpa.yaml");
        HorizontalPodAutoscaler hpa = KUBE.convertValue(node, HorizontalPodAutoscaler.class);
        assertThat(hpa.getApiVersion()).isEqualTo("autoscaling/v2");
        assertThat(hpa.getAdditionalProperties()).isEmpty();
        assertThat(hpa.getSpec().getAdditionalProperties()).isEmpty();

        var target = hpa.getSpec().getScaleTargetRef();
        assertThat(target.getApiVersion()).isEqualTo(TrackerCluster.GROUP + "/" + TrackerCluster.VERSION);
        assertThat(target.getKind()).isEqualTo(SHARD_SCHEMA.crd().getSpec().getNames().getKind());
        var scale = SHARD_SCHEMA.crd().getSpec().getVersions().get(0).getSubresources().getScale();
        assertThat(scale).as("TrackerShard has a scale subresource").isNotNull();
        assertThat(scale.getSpecReplicasPath()).isEqualTo(".spec.replicas");
        assertThat(scale.getLabelSelectorPath()).as("an HPA finds the pods through it").isNotBlank();

        // The target is shard k of the production cluster (named as the operator names TrackerShards).
        TrackerCluster production = cluster("production.yaml");
        String name = production.getMetadata().getName();
        assertThat(IntStream.range(0, production.getSpec().shards).mapToObj(k -> Names.shard(name, k)))
                .contains(target.getName());

        assertThat(hpa.getSpec().getMinReplicas()).isBetween(1, hpa.getSpec().getMaxReplicas());
        assertThat(hpa.getSpec().getMaxReplicas()).isLessThanOrEqualTo(100); // TrackerShard's spec.replicas maximum
        assertThat(hpa.getSpec().getMetrics()).extracting(MetricSpec::getType).containsOnly("Resource");
        // CPU utilisation needs CPU requests on the shard pods: the production example sets them.
        assertThat(production.getSpec().resources.getRequests()).containsKey("cpu");
    }

    @Test
    void theSchemaCheckCatchesMistakes() throws IOException {
        JsonNode good = only("production.yaml");

        var unknown = good.deepCopy();
        ((ObjectNode) unknown.path("spec")).put("shard", 3);
        var wrongEnum = good.deepCopy();
        ((ObjectNode) wrongEnum.path("spec").path("ingress"))
                .put("serviceType", "Loadbalancer");
        var tooMany = good.deepCopy();
        ((ObjectNode) tooMany.path("spec")).put("shards", 5000);
        var badPattern = good.deepCopy();
        ((ObjectNode) badPattern.path("spec").path("redis"))
                .put("url", "http://redis:6379");

        assertThat(CLUSTER_SCHEMA.violations(unknown)).singleElement().asString().contains(".spec.shard: unknown field");
        assertThat(CLUSTER_SCHEMA.violations(wrongEnum)).singleElement().asString().contains("serviceType");
        assertThat(CLUSTER_SCHEMA.violations(tooMany)).singleElement().asString().contains("maximum");
        assertThat(CLUSTER_SCHEMA.violations(badPattern)).singleElement().asString().contains("does not match");
    }
}
