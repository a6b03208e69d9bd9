package io.shoal.tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.tracker.ingress.IngressConfig;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class IngressCommandTest {
    private static final String KEY_HEX = "000102030405060708090a0b0c0d0e0f";

    @TempDir
    Path dir;

    private final TestCli shoal = new TestCli();
    private final StringWriter out = shoal.out;
    private final StringWriter err = shoal.err;

    private CommandLine cli(Map<String, String> env) {
        return shoal.commandLine(env);
    }

    /** Parses {@code ingress <args>} and returns the resulting config. */
    private IngressConfig config(Map<String, String> env, String... args) {
        IngressCommand cmd = shoal.parsed(env, "ingress", args);
        return cmd.toConfig();
    }

    private Path routingFile() throws Exception {
        Path f = dir.resolve("routing.json");
        Files.writeString(f, "{}");
        return f;
    }

    @Test
    void defaultsAreTheDocumentedOnes() throws Exception {
        IngressConfig c = config(Map.of("SHOAL_CONNECTION_ID_KEY", KEY_HEX), "--routing", routingFile().toString());
        assertThat(c.bindAddresses()).containsExactly("::");
        assertThat(c.port()).isEqualTo(6969);
        assertThat(c.adminPort()).isEqualTo(9090);
        assertThat(c.udp().forwardTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.resolveInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.udp().maxPending()).isEqualTo(65536);
        assertThat(c.routingFile()).isEqualTo(routingFile());
        assertThat(c.udp().connectionIdKey()).hasSize(16);
        assertThat(c.http().httpIdleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.http().httpRequestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.http().httpMaxConnections()).isEqualTo(20_000);
        assertThat(c.http().httpMaxConnectionsPerAddress()).isEqualTo(256);
    }

    @Test
    void httpLimitsAreTheShardsFlags() throws Exception {
        IngressConfig c = config(Map.of("SHOAL_CONNECTION_ID_KEY", KEY_HEX, "SHOAL_HTTP_MAX_CONNECTIONS", "900"),
                "--routing", routingFile().toString(), "--http-idle-timeout", "5s", "--http-request-timeout", "3s",
                "--http-max-connections-per-address", "16");
        assertThat(c.http().httpIdleTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.http().httpRequestTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.http().httpMaxConnections()).isEqualTo(900);
        assertThat(c.http().httpMaxConnectionsPerAddress()).isEqualTo(16);
        assertThat(c.http().forwardTimeout()).isEqualTo(Duration.ofSeconds(2));
        Map<String, String> key = Map.of("SHOAL_CONNECTION_ID_KEY", KEY_HEX);
        String file = routingFile().toString();
        assertThatThrownBy(() -> config(key, "--routing", file, "--http-max-connections", "0"))
                .hasMessageContaining("HTTP max connections");
        assertThatThrownBy(() -> config(key, "--routing", file, "--http-request-timeout", "2d"))
                .hasMessageContaining("HTTP request timeout");
    }

    @Test
    void environmentAndFlags() throws Exception {
        Path key = dir.resolve("key");
        Files.writeString(key, KEY_HEX + "\n");
        IngressConfig c = config(Map.of("SHOAL_ROUTING", "configmap:demo-routing", "SHOAL_FORWARD_TIMEOUT", "750ms"),
                "--connection-id-key-file", key.toString(), "--port", "7000", "--resolve-interval", "2s");
        assertThat(c.routingConfigMap()).isEqualTo("demo-routing");
        assertThat(c.routingFile()).isNull();
        assertThat(c.udp().forwardTimeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(c.port()).isEqualTo(7000);
        assertThat(c.resolveInterval()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void usageErrors() throws Exception {
        String file = routingFile().toString();
        assertThatThrownBy(() -> config(Map.of(), "--routing", file)).hasMessageContaining("connection id key");
        Map<String, String> key = Map.of("SHOAL_CONNECTION_ID_KEY", KEY_HEX);
        assertThatThrownBy(() -> config(key)).hasMessageContaining("--routing");
        assertThatThrownBy(() -> config(key, "--routing", dir.resolve("missing.json").toString()))
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> config(key, "--routing", "configmap:Not_A_Name")).hasMessageContaining("ConfigMap name");
        assertThatThrownBy(() -> config(key, "--routing", file, "--forward-timeout", "0s"))
                .hasMessageContaining("forward timeout");
        assertThatThrownBy(() -> config(key, "--routing", file, "--max-pending", "0"))
                .hasMessageContaining("max pending");
        assertThat(cli(Map.of()).execute("ingress", "--routing", file)).isEqualTo(2);
        assertThat(err.toString()).contains("connection id key");
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        assertThat(cli(Map.of()).execute("ingress", "--help")).isZero();
        String help = out.toString().replaceAll("\\s+", " ");
        for (String option : new String[] {"--bind", "--port", "--admin-port", "--routing", "--connection-id-key-file",
                "--forward-timeout", "--resolve-interval", "--max-pending", "--http-idle-timeout", "--http-request-timeout",
                "--http-max-connections", "--http-max-connections-per-address", "--threads", "--transport"}) {
            assertThat(help).contains(option);
        }
        assertThat(help).contains("Default: 2s").contains("Default: 5s").contains("Default: 6969");
    }
}
