package io.shoal.operator.resources;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Labels of managed objects. Selectors use only the {@code tracker.shoal.io/} keys, which nothing
 * else sets; the {@code app.kubernetes.io/} ones are for people and dashboards.
 */
public final class Labels {

    public static final String CLUSTER = "tracker.shoal.io/cluster";
    public static final String COMPONENT = "tracker.shoal.io/component";
    public static final String SHARD = "tracker.shoal.io/shard";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String OPERATOR = "shoal-operator";

    public static final String SHARD_COMPONENT = "shard";
    public static final String INGRESS_COMPONENT = "ingress";
    public static final String REDIS_COMPONENT = "redis";

    private Labels() {
    }

    public static Map<String, String> selector(String cluster, String component) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(CLUSTER, cluster);
        m.put(COMPONENT, component);
        return m;
    }

    public static Map<String, String> selector(String cluster, String component, int shard) {
        Map<String, String> m = selector(cluster, component);
        m.put(SHARD, Integer.toString(shard));
        return m;
    }

    /** Selector labels plus the recommended ones. */
    public static Map<String, String> all(Map<String, String> selector) {
        Map<String, String> m = new LinkedHashMap<>(selector);
        m.put("app.kubernetes.io/name", "shoal");
        m.put("app.kubernetes.io/instance", selector.get(CLUSTER));
        m.put("app.kubernetes.io/component", selector.get(COMPONENT));
        m.put(MANAGED_BY, OPERATOR);
        return m;
    }

    /** The selector in the string form of a scale subresource's status.selector. */
    public static String asString(Map<String, String> selector) {
        return selector.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }
}
