package io.shoal.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * fabric8's CRUD mock API server on loopback with the generated CRDs applied and the real operator
 * running against it. The mock stores and watches objects but runs no controllers: tests play the
 * kubelet and the Deployment controller by writing status, and the garbage collector by deleting.
 */
final class MockApiServer implements AutoCloseable {

    final KubernetesMockServer server;
    final KubernetesClient client;
    final Operator operator;
    /** Finished reconciles per resource name, to know that a reconcile happened and changed nothing. */
    final Map<String, AtomicInteger> reconciles = new ConcurrentHashMap<>();

    MockApiServer() throws Exception {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        client = server.createClient();
        for (String crd : new String[] {"trackerclusters", "trackershards"}) {
            try (InputStream in = getClass().getResourceAsStream(
                    "/META-INF/fabric8/" + crd + ".tracker.shoal.io-v1.yml")) {
                client.resource(client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class))
                        .create();
            }
        }
        Metrics counting = new Metrics() {
            @Override
            public void finishedReconciliation(HasMetadata resource, Map<String, Object> metadata) {
                reconciles.computeIfAbsent(resource.getKind() + "/" + resource.getMetadata().getName(),
                        k -> new AtomicInteger()).incrementAndGet();
            }
        };
        operator = ShoalOperator.create(client, Set.of(), null, counting);
        operator.start();
    }

    int reconcileCount(String kind, String name) {
        AtomicInteger n = reconciles.get(kind + "/" + name);
        return n == null ? 0 : n.get();
    }

    /** What the Deployment controller and kubelet would write once every pod is ready. */
    void markReady(Deployment d) {
        Deployment fresh = client.resource(d).get();
        int replicas = fresh.getSpec().getReplicas();
        fresh.setStatus(new DeploymentStatusBuilder()
                .withReplicas(replicas).withReadyReplicas(replicas).withUpdatedReplicas(replicas)
                .withAvailableReplicas(replicas).withObservedGeneration(fresh.getMetadata().getGeneration())
                .build());
        client.resource(fresh).updateStatus();
    }

    void markReady(StatefulSet s) {
        StatefulSet fresh = client.resource(s).get();
        fresh.setStatus(new StatefulSetStatusBuilder().withReplicas(1).withReadyReplicas(1).withCurrentReplicas(1)
                .withUpdatedReplicas(1).withAvailableReplicas(1)
                .withObservedGeneration(fresh.getMetadata().getGeneration()).build());
        client.resource(fresh).updateStatus();
    }

    @Override
    public void close() {
        operator.stop();
        client.close();
        server.destroy();
    }
}
