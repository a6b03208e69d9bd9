package io.shoal.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Whether an object on the server already is what the operator wants. The server adds defaults
 * (a container's terminationMessagePath, a port's protocol, a Service's clusterIP), so the test is
 * "everything desired is there with the same value", not equality: extra fields are the server's.
 * Lists must have the same length, or a removed container or port would never be noticed.
 */
public final class DesiredState {

    private DesiredState() {
    }

    public static boolean contains(JsonNode actual, JsonNode desired) {
        if (desired == null || desired.isNull()) {
            return true;
        }
        if (actual == null || actual.isNull()) {
            return isEmpty(desired);
        }
        if (desired.isObject()) {
            if (!actual.isObject()) {
                return false;
            }
            for (Map.Entry<String, JsonNode> f : desired.properties()) {
                if (!contains(actual.get(f.getKey()), f.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (desired.isArray()) {
            if (!actual.isArray() || actual.size() != desired.size()) {
                return false;
            }
            for (int i = 0; i < desired.size(); i++) {
                if (!contains(actual.get(i), desired.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (desired.isNumber() && actual.isNumber()) {
            return desired.decimalValue().compareTo(actual.decimalValue()) == 0;
        }
        return desired.equals(actual);
    }

    /** An empty object or list asks for nothing the server might leave out. */
    private static boolean isEmpty(JsonNode n) {
        return (n.isObject() || n.isArray()) && n.isEmpty();
    }
}
