package io.shoal.tracker.ingress;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the {@code routing.json} key of a ConfigMap to a {@link RouteKeeper}, through an informer: it lists, then
 * watches, and re-lists by itself after a dropped watch, so a change made by the operator arrives within moments.
 * The namespace is the client's: the pod's service account namespace in a cluster, else the kubeconfig's.
 * A deleted ConfigMap or a missing key keeps the current routes.
 */
public final class RoutingConfigMapWatcher implements AutoCloseable {
    public static final String KEY = "routing.json";
    private static final Logger LOG = LoggerFactory.getLogger(RoutingConfigMapWatcher.class);

    private final KubernetesClient client;
    private final boolean ownsClient;
    private final SharedIndexInformer<ConfigMap> informer;

    private RoutingConfigMapWatcher(KubernetesClient client, boolean ownsClient, String name, RouteKeeper keeper) {
        this.client = client;
        this.ownsClient = ownsClient;
        String namespace = client.getNamespace();
        String origin = "ConfigMap " + namespace + "/" + name;
        this.informer = client.configMaps().inNamespace(namespace).withName(name)
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(ConfigMap cm) {
                        offer(cm, origin, keeper);
                    }

                    @Override
                    public void onUpdate(ConfigMap before, ConfigMap after) {
                        offer(after, origin, keeper);
                    }

                    @Override
                    public void onDelete(ConfigMap cm, boolean finalStateUnknown) {
                        LOG.warn("{} was deleted; keeping routing epoch {}", origin, keeper.epoch());
                    }
                });
        LOG.info("Watching {} for routing", origin);
    }

    /** Watches {@code name} with a client configured from the environment (service account or kubeconfig). */
    public static RoutingConfigMapWatcher start(String name, RouteKeeper keeper) {
        KubernetesClient client = new KubernetesClientBuilder().build();
        try {
            return new RoutingConfigMapWatcher(client, true, name, keeper);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** Watches {@code name} with the caller's client (which the caller closes). */
    static RoutingConfigMapWatcher start(KubernetesClient client, String name, RouteKeeper keeper) {
        return new RoutingConfigMapWatcher(client, false, name, keeper);
    }

    private static void offer(ConfigMap cm, String origin, RouteKeeper keeper) {
        Map<String, String> data = cm.getData();
        String json = data == null ? null : data.get(KEY);
        if (json == null) {
            LOG.error("{} has no key {}; keeping routing epoch {}", origin, KEY, keeper.epoch());
            return;
        }
        keeper.offer(json, origin);
    }

    @Override
    public void close() {
        informer.close();
        if (ownsClient) {
            client.close();
        }
    }
}
