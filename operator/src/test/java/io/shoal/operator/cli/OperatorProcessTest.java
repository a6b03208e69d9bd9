package io.shoal.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.shoal.operator.api.v1alpha1.TrackerCluster;
import io.shoal.operator.api.v1alpha1.TrackerShard;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator process as the command line builds it: kubeconfig, watched namespaces, admin endpoints. */
class OperatorProcessTest {

    private KubernetesMockServer server;
    private KubernetesClient client;
    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        client = server.createClient();
        for (String crd : new String[] {"trackerclusters", "trackershards"}) {
            try (InputStream in = getClass().getResourceAsStream("/META-INF/fabric8/" + crd + ".tracker.shoal.io-v1.yml")) {
                client.resource(client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class)).create();
            }
        }
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    private Path kubeconfig() throws Exception {
        Path file = dir.resolve("kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: %s
                users:
                - name: tester
                  user:
                    token: not-checked
                contexts:
                - name: mock
                  context:
                    cluster: mock
                    user: tester
                    namespace: default
                current-context: mock
                """.formatted(client.getConfiguration().getMasterUrl()));
        return file;
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void createCluster(String namespace) {
        TrackerCluster tc = new TrackerCluster();
        tc.getMetadata().setName("tr");
        tc.getMetadata().setNamespace(namespace);
        tc.getSpec().shards = 1;
        client.resource(tc).create();
    }

    @Test
    void watchesOnlyTheNamespacesGivenAndServesAdminEndpoints() throws Exception {
        try (OperatorProcess p = OperatorProcess.start(OperatorMain.config(kubeconfig()), Set.of("watched"), null,
                new InetSocketAddress("127.0.0.1", 0))) {
            assertThat(get(p.adminPort(), "/healthz").statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(60)).until(() -> get(p.adminPort(), "/readyz").statusCode() == 200);

            createCluster("watched");
            createCluster("ignored");
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    client.resources(TrackerShard.class).inNamespace("watched").withName("tr-shard-0").get() != null);
            assertThat(client.resources(TrackerShard.class).inNamespace("ignored").list().getItems()).isEmpty();
            assertThat(client.resources(TrackerCluster.class).inNamespace("ignored").withName("tr").get().getStatus())
                    .as("an unwatched namespace's cluster is not touched").isNull();

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(get(p.adminPort(), "/metrics").body()).contains("operator_sdk_reconciliations")
                            .contains("jvm_memory_used_bytes"));
            assertThat(get(p.adminPort(), "/nothing").statusCode()).isEqualTo(404);
            // Let the reconcile in flight finish, so that stopping does not wait for it.
            await().atMost(Duration.ofSeconds(60)).until(() -> client.resources(TrackerCluster.class)
                    .inNamespace("watched").withName("tr").get().getStatus() != null);
        }
    }
}
