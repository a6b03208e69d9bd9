package io.shoal.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The chart rendered by a real Helm ({@code helm template}, through helm-java), as typed Kubernetes objects.
 */
final class RenderedChart {

    static final String RELEASE = "shoal";
    static final String NAMESPACE = "shoal-system";
    /** A current Kubernetes: helm-java's library would otherwise assume v1.20, which the chart refuses. */
    static final String KUBE_VERSION = "v1.31.0";

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final KubernetesSerialization KUBE = new KubernetesSerialization();

    private final String text;
    private final List<HasMetadata> objects;

    private RenderedChart(String text, List<HasMetadata> objects) {
        this.text = text;
        this.objects = objects;
    }

    /**
     * Renders with the chart's defaults overridden by {@code values}: dotted keys as with {@code --set}, but
     * typed (lists, numbers and booleans stay what they are), through a values file.
     */
    static RenderedChart render(Map<String, Object> values) {
        TemplateCommand template = new Helm(Repo.chart()).template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        Path file = null;
        try {
            if (!values.isEmpty()) {
                file = Files.createTempFile("values", ".yaml");
                YAML.writeValue(file.toFile(), nested(values));
                template.withValuesFile(file);
            }
            return parse(template.call());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (file != null) {
                file.toFile().delete();
            }
        }
    }

    /** {@code a.b=1} becomes {@code {a: {b: 1}}}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> nested(Map<String, Object> dotted) {
        Map<String, Object> root = new LinkedHashMap<>();
        dotted.forEach((key, value) -> {
            String[] parts = key.split("\\.");
            Map<String, Object> node = root;
            for (int i = 0; i < parts.length - 1; i++) {
                node = (Map<String, Object>) node.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
            }
            node.put(parts[parts.length - 1], value);
        });
        return root;
    }

    static RenderedChart defaults() {
        return render(Map.of());
    }

    static RenderedChart parse(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        for (JsonNode document : documents(yaml)) {
            // fabric8 picks the model class from apiVersion and kind; unknown kinds stay generic.
            HasMetadata object = KUBE.unmarshal(document.toString());
            objects.add(object);
        }
        return new RenderedChart(yaml, objects);
    }

    /** Every non-empty YAML document of a multi-document text, as trees. */
    static List<JsonNode> documents(String yaml) {
        List<JsonNode> documents = new ArrayList<>();
        try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode node = it.next();
                if (node != null && !node.isNull() && !node.isMissingNode() && !node.isEmpty()) {
                    documents.add(node);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }

    String text() {
        return text;
    }

    List<HasMetadata> all() {
        return objects;
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type) {
        List<T> found = all(type);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + ", found " + found.size() + ":\n" + text);
        }
        return found.get(0);
    }

    <T extends HasMetadata> T named(Class<T> type, String name) {
        return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst()
                .orElseThrow(() -> new NoSuchElementException(type.getSimpleName() + " " + name + " not rendered"));
    }

    /** kind/namespace/name of every object, for messages. */
    Map<String, String> index() {
        Map<String, String> index = new LinkedHashMap<>();
        for (HasMetadata o : objects) {
            index.put(o.getKind() + "/" + o.getMetadata().getName(), o.getMetadata().getNamespace());
        }
        return index;
    }
}
