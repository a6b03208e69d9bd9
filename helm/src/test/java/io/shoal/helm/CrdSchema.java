package io.shoal.helm;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks an object against a CRD's structural OpenAPI schema as the API server would: types, enums, patterns,
 * bounds and required fields; and, stricter than the server (which silently prunes them), refuses unknown
 * fields, since an unknown field in an example is a mistake a user would copy. CEL rules
 * (x-kubernetes-validations) are not evaluated.
 */
final class CrdSchema {

    private static final KubernetesSerialization KUBE = new KubernetesSerialization();
    private static final Set<String> ROOT_FIELDS = Set.of("apiVersion", "kind", "metadata");

    private final CustomResourceDefinition crd;
    private final JSONSchemaProps root;

    private CrdSchema(CustomResourceDefinition crd, JSONSchemaProps root) {
        this.crd = crd;
        this.root = root;
    }

    static CrdSchema read(Path file, String version) {
        try {
            CustomResourceDefinition crd = KUBE.unmarshal(Files.readString(file), CustomResourceDefinition.class);
            CustomResourceDefinitionVersion v = crd.getSpec().getVersions().stream()
                    .filter(candidate -> candidate.getName().equals(version)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(file + " has no version " + version));
            return new CrdSchema(crd, v.getSchema().getOpenAPIV3Schema());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    CustomResourceDefinition crd() {
        return crd;
    }

    /** Every violation, as "path: what"; empty when the object is valid. */
    List<String> violations(JsonNode object) {
        List<String> errors = new ArrayList<>();
        check(object, root, "", errors);
        return errors;
    }

    private static void check(JsonNode value, JSONSchemaProps schema, String path, List<String> errors) {
        if (value.isNull()) {
            if (!Boolean.TRUE.equals(schema.getNullable())) {
                errors.add(path + ": null is not allowed");
            }
            return;
        }
        if (Boolean.TRUE.equals(schema.getXKubernetesIntOrString())) {
            if (!value.isIntegralNumber() && !value.isTextual()) {
                errors.add(path + ": must be an integer or a string, is " + value.getNodeType());
            }
            return;
        }
        String type = schema.getType();
        if (type == null) {
            return; // untyped only with x-kubernetes-preserve-unknown-fields: anything goes
        }
        switch (type) {
            case "object" -> checkObject(value, schema, path, errors);
            case "array" -> checkArray(value, schema, path, errors);
            case "string" -> checkString(value, schema, path, errors);
            case "integer" -> {
                if (!value.isIntegralNumber()) {
                    errors.add(path + ": must be an integer, is " + value.getNodeType());
                } else {
                    checkBounds(value.doubleValue(), schema, path, errors);
                }
            }
            case "number" -> {
                if (!value.isNumber()) {
                    errors.add(path + ": must be a number, is " + value.getNodeType());
                } else {
                    checkBounds(value.doubleValue(), schema, path, errors);
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    errors.add(path + ": must be a boolean, is " + value.getNodeType());
                }
            }
            default -> errors.add(path + ": schema type " + type + " is not understood by this check");
        }
    }

    private static void checkObject(JsonNode value, JSONSchemaProps schema, String path, List<String> errors) {
        if (!value.isObject()) {
            errors.add(path + ": must be an object, is " + value.getNodeType());
            return;
        }
        Map<String, JSONSchemaProps> properties = schema.getProperties();
        JSONSchemaProps additional = schema.getAdditionalProperties() == null ? null
                : schema.getAdditionalProperties().getSchema();
        boolean preserve = Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields());
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            String fieldPath = path + "." + field.getKey();
            if (path.isEmpty() && ROOT_FIELDS.contains(field.getKey())) {
                continue; // the API server checks these itself; the CRD schema leaves them out
            }
            if (properties != null && properties.containsKey(field.getKey())) {
                check(field.getValue(), properties.get(field.getKey()), fieldPath, errors);
            } else if (additional != null) {
                check(field.getValue(), additional, fieldPath, errors);
            } else if (!preserve && (properties != null && !properties.isEmpty())) {
                errors.add(fieldPath + ": unknown field (the API server would drop it)");
            }
        }
        if (schema.getRequired() != null) {
            for (String required : schema.getRequired()) {
                if (!value.has(required)) {
                    errors.add(path + "." + required + ": required");
                }
            }
        }
        checkCount(value.size(), schema.getMinProperties(), schema.getMaxProperties(), path, "properties", errors);
    }

    private static void checkArray(JsonNode value, JSONSchemaProps schema, String path, List<String> errors) {
        if (!value.isArray()) {
            errors.add(path + ": must be an array, is " + value.getNodeType());
            return;
        }
        checkCount(value.size(), schema.getMinItems(), schema.getMaxItems(), path, "items", errors);
        JSONSchemaProps items = schema.getItems() == null ? null : schema.getItems().getSchema();
        if (items != null) {
            for (int i = 0; i < value.size(); i++) {
                check(value.get(i), items, path + "[" + i + "]", errors);
            }
        }
    }

    private static void checkString(JsonNode value, JSONSchemaProps schema, String path, List<String> errors) {
        if (!value.isTextual()) {
            errors.add(path + ": must be a string, is " + value.getNodeType());
            return;
        }
        String text = value.textValue();
        if (schema.getEnum() != null && !schema.getEnum().isEmpty()
                && schema.getEnum().stream().noneMatch(e -> e.isTextual() && e.textValue().equals(text))) {
            errors.add(path + ": '" + text + "' is not one of " + schema.getEnum());
        }
        if (schema.getPattern() != null && !Pattern.compile(schema.getPattern()).matcher(text).find()) {
            errors.add(path + ": '" + text + "' does not match " + schema.getPattern());
        }
        checkCount(text.codePointCount(0, text.length()), schema.getMinLength(), schema.getMaxLength(), path,
                "characters", errors);
    }

    private static void checkBounds(double number, JSONSchemaProps schema, String path, List<String> errors) {
        if (schema.getMinimum() != null && number < schema.getMinimum()) {
            errors.add(path + ": " + number + " is below the minimum " + schema.getMinimum());
        }
        if (schema.getMaximum() != null && number > schema.getMaximum()) {
            errors.add(path + ": " + number + " is above the maximum " + schema.getMaximum());
        }
    }

    private static void checkCount(long count, Long min, Long max, String path, String what, List<String> errors) {
        if (min != null && count < min) {
            errors.add(path + ": " + count + " " + what + ", at least " + min + " needed");
        }
        if (max != null && count > max) {
            errors.add(path + ": " + count + " " + what + ", at most " + max + " allowed");
        }
    }
}
