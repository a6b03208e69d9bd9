package io.shoal.operator.resources;

/** Names of the objects the operator makes; the ingress and the shards rely on some of them. */
public final class Names {

    public static final String ROUTING_KEY = "routing.json";
    public static final String CONNECTION_ID_KEY = "key";
    public static final String ACCESS_LIST_KEY = "infohashes";
    public static final int PUBLIC_PORT = 6969;
    public static final int INTERNAL_PORT = 6970;
    public static final int ADMIN_PORT = 9090;
    public static final int REDIS_PORT = 6379;

    private Names() {
    }

    public static String routingConfigMap(String cluster) {
        return cluster + "-routing";
    }

    public static String connectionIdSecret(String cluster) {
        return cluster + "-connection-id";
    }

    public static String accessListConfigMap(String cluster) {
        return cluster + "-access-list";
    }

    /** The TrackerShard, its Deployment, its headless Service and its PodDisruptionBudget. */
    public static String shard(String cluster, int index) {
        return cluster + "-shard-" + index;
    }

    public static String redis(String cluster, int index) {
        return shard(cluster, index) + "-redis";
    }

    /** What the routing map gives the ingress for a shard: its headless Service and internal port. */
    public static String shardEndpoint(String cluster, int index) {
        return shard(cluster, index) + ":" + INTERNAL_PORT;
    }

    /** The ingress Deployment, Service, PodDisruptionBudget, ServiceAccount, Role and RoleBinding. */
    public static String ingress(String cluster) {
        return cluster + "-ingress";
    }

    public static String shardNetworkPolicy(String cluster) {
        return cluster + "-shards";
    }
}
