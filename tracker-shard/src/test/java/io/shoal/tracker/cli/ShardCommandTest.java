package io.shoal.tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.tracker.server.AccessMode;
import io.shoal.tracker.server.RateLimit;
import io.shoal.tracker.server.ShardConfig;
import io.shoal.tracker.server.ShardRuntime;
import io.shoal.tracker.server.TransportKind;
import java.io.StringWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class ShardCommandTest {
    private static final String KEY_HEX = "000102030405060708090a0b0c0d0e0f";

    @TempDir
    Path dir;

    private final TestCli shoal = new TestCli();
    private final StringWriter out = shoal.out;
    private final StringWriter err = shoal.err;

    private CommandLine cli(Map<String, String> env) {
        return shoal.commandLine(env);
    }

    /** Parses {@code shard <args>} and returns the resulting config. */
    private ShardConfig config(Map<String, String> env, String... args) {
        ShardCommand cmd = shoal.parsed(env, "shard", args);
        return cmd.toConfig();
    }

    private int run(Map<String, String> env, String... args) {
        return cli(env).execute(args);
    }

    @Test
    void internalPortIsOffByDefaultAndSetByFlagOrEnvironment() {
        assertThat(config(Map.of()).hasInternalPort()).isFalse();
        assertThat(config(Map.of(), "--internal-port", "6970").internalPort()).isEqualTo(6970);
        assertThat(config(Map.of("SHOAL_INTERNAL_PORT", "7000")).internalPort()).isEqualTo(7000);
        assertThatThrownBy(() -> config(Map.of(), "--internal-port", "70000"))
                .hasMessageContaining("internal port must be 0..65535");
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        ShardConfig c = config(Map.of());
        assertThat(c.bindAddresses()).containsExactly("::");
        assertThat(c.port()).isEqualTo(6969);
        assertThat(c.adminPort()).isEqualTo(9090);
        assertThat(c.interval()).isEqualTo(Duration.ofSeconds(1800));
        assertThat(c.minInterval()).isEqualTo(Duration.ofSeconds(900));
        assertThat(c.peerTtl()).isEqualTo(Duration.ofSeconds(2700));
        assertThat(c.numwantDefault()).isEqualTo(50);
        assertThat(c.numwantMax()).isEqualTo(200);
        assertThat(c.accessListFile()).isNull();
        assertThat(c.accessMode()).isEqualTo(AccessMode.DENY);
        assertThat(c.connectionIdGrace()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.fullScrape()).isTrue();
        assertThat(c.fullScrapeRefresh()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.fullScrapeRate()).isEqualTo(new RateLimit(1, Duration.ofSeconds(10)));
        assertThat(c.threads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(c.transport()).isEqualTo(TransportKind.AUTO);
        assertThat(c.downloadsRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(c.peerStoreConfig().downloadsRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(c.httpRequestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.httpMaxConnections()).isEqualTo(20_000);
        assertThat(c.httpMaxConnectionsPerAddress()).isEqualTo(256);
        assertThat(c.connectionIdKey()).as("a random key").hasSize(16);
    }

    @Test
    void everyFlagIsParsed() throws Exception {
        Path list = Files.writeString(dir.resolve("allow.txt"), "");
        ShardConfig c = config(Map.of(),
                "--bind", "127.0.0.1,::1", "--port", "7000", "--admin-port", "7001",
                "--interval", "20m", "--min-interval", "300", "--peer-ttl", "1h",
                "--numwant-default", "30", "--numwant-max", "80",
                "--access-list", list.toString(), "--access-mode", "allow",
                "--connection-id-grace", "30s", "--max-torrents", "1000", "--max-peers", "20000",
                "--full-scrape", "off", "--full-scrape-refresh", "1m", "--full-scrape-rate", "3/30s",
                "--threads", "3", "--http-idle-timeout", "5s", "--transport", "nio",
                "--downloads-retention", "2d", "--http-request-timeout", "3s", "--http-max-connections", "500",
                "--http-max-connections-per-address", "16");
        assertThat(c.bindAddresses()).containsExactly("127.0.0.1", "::1");
        assertThat(c.port()).isEqualTo(7000);
        assertThat(c.adminPort()).isEqualTo(7001);
        assertThat(c.interval()).isEqualTo(Duration.ofMinutes(20));
        assertThat(c.minInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.peerTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(c.numwantDefault()).isEqualTo(30);
        assertThat(c.numwantMax()).isEqualTo(80);
        assertThat(c.accessListFile()).isEqualTo(list);
        assertThat(c.accessMode()).isEqualTo(AccessMode.ALLOW);
        assertThat(c.connectionIdGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.maxTorrents()).isEqualTo(1000);
        assertThat(c.maxPeers()).isEqualTo(20000);
        assertThat(c.fullScrape()).isFalse();
        assertThat(c.fullScrapeRefresh()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.fullScrapeRate()).isEqualTo(new RateLimit(3, Duration.ofSeconds(30)));
        assertThat(c.threads()).isEqualTo(3);
        assertThat(c.httpIdleTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.transport()).isEqualTo(TransportKind.NIO);
        assertThat(c.downloadsRetention()).isEqualTo(Duration.ofDays(2));
        assertThat(c.peerStoreConfig().downloadsRetention()).isEqualTo(Duration.ofDays(2));
        assertThat(c.httpRequestTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.httpMaxConnections()).isEqualTo(500);
        assertThat(c.httpMaxConnectionsPerAddress()).isEqualTo(16);
    }

    @Test
    void environmentVariablesSetDefaultsAndFlagsWin() {
        Map<String, String> env = Map.of(
                "SHOAL_PORT", "7100",
                "SHOAL_BIND", "127.0.0.1",
                "SHOAL_FULL_SCRAPE", "off",
                "SHOAL_INTERVAL", "10m",
                "SHOAL_MIN_INTERVAL", "5m",
                "SHOAL_THREADS", "1",
                "SHOAL_ACCESS_MODE", "DENY",
                "SHOAL_DOWNLOADS_RETENTION", "0");
        ShardConfig fromEnv = config(env);
        assertThat(fromEnv.port()).isEqualTo(7100);
        assertThat(fromEnv.bindAddresses()).containsExactly("127.0.0.1");
        assertThat(fromEnv.fullScrape()).isFalse();
        assertThat(fromEnv.interval()).isEqualTo(Duration.ofMinutes(10));
        assertThat(fromEnv.threads()).isEqualTo(1);
        assertThat(fromEnv.downloadsRetention()).isZero();

        ShardConfig flagged = config(env, "--port", "7200", "--threads", "2");
        assertThat(flagged.port()).isEqualTo(7200);
        assertThat(flagged.threads()).isEqualTo(2);
        assertThat(flagged.interval()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void helpDocumentsEveryFlagWithItsVariableAndDefault() {
        assertThat(run(Map.of(), "shard", "--help")).isZero();
        String help = out.toString();
        CommandLine shard = cli(Map.of()).getSubcommands().get("shard");
        List<OptionSpec> options = shard.getCommandSpec().options();
        assertThat(options).hasSizeGreaterThanOrEqualTo(20);
        for (OptionSpec o : options) {
            assertThat(help).contains(o.longestName());
            if (o.usageHelp() || o.versionHelp()) {
                continue;
            }
            String description = String.join(" ", o.description());
            assertThat(description).as(o.longestName())
                    .contains("Env " + EnvDefaultProvider.variableFor(o.longestName()))
                    .contains("Default:");
        }
        // Defaults are shown with their values, not as placeholders.
        assertThat(help).contains("Default: 6969").contains("Default: 30m").contains("Default: 1/10s")
                .doesNotContain("${DEFAULT-VALUE}");
        assertThat(help).contains("SHOAL_CONNECTION_ID_KEY");
    }

    @Test
    void badValuesAreUsageErrorsWithExitCode2() {
        String[][] cases = {
            {"--port", "abc"},
            {"--port", "70000"},
            {"--interval", "5x"},
            {"--access-mode", "maybe"},
            {"--full-scrape", "sometimes"},
            {"--full-scrape-rate", "fast"},
            {"--numwant-default", "300"},
            {"--numwant-max", "2001"},
            {"--numwant-max", "0"},
            {"--access-mode", "allow"},
            {"--threads", "0"},
            {"--downloads-retention", "366d"},
            {"--downloads-retention", "-1s"},
            {"--http-request-timeout", "0"},
            {"--http-max-connections", "0"},
            {"--http-max-connections-per-address", "0"},
            {"--no-such-flag"},
        };
        for (String[] c : cases) {
            err.getBuffer().setLength(0);
            String[] args = new String[c.length + 1];
            args[0] = "shard";
            System.arraycopy(c, 0, args, 1, c.length);
            assertThat(run(Map.of(), args)).as(String.join(" ", c)).isEqualTo(2);
            assertThat(err.toString()).as(String.join(" ", c)).isNotBlank();
        }
        err.getBuffer().setLength(0);
        assertThat(run(Map.of("SHOAL_PORT", "x"), "shard")).isEqualTo(2);
        assertThat(err.toString()).contains("--port");
    }

    @Test
    void valuesThatUsedToFailAtStartupAreUsageErrors() {
        String[][] cases = {
            {"--connection-id-grace", "2h"},
            {"--full-scrape-refresh", "999999d"},
            {"--full-scrape-rate", "1/999999d"},
            {"--http-idle-timeout", "999999d"},
            {"--peer-ttl", "99999999999d", "--interval", "99999999998d"},
            {"--access-list", dir.resolve("missing").toString()},
            {"--access-list", dir.toString()},
            {"--bind", "not-a-host.invalid"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> config(Map.of(), c)).as(String.join(" ", c))
                    .isInstanceOf(CommandLine.ParameterException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Exception").doesNotContain("\n"));
        }
        String[][] run = {
            {"--connection-id-grace", "2h"},
            {"--full-scrape-refresh", "999999d"},
            {"--access-list", dir.resolve("missing").toString()},
        };
        for (String[] c : run) {
            err.getBuffer().setLength(0);
            String[] args = new String[c.length + 1];
            args[0] = "shard";
            System.arraycopy(c, 0, args, 1, c.length);
            assertThat(run(Map.of(), args)).as(String.join(" ", c)).isEqualTo(2);
            assertThat(err.toString().lines().findFirst()).as(String.join(" ", c))
                    .hasValueSatisfying(line -> assertThat(line).doesNotContain("Exception"));
        }
        assertThat(err.toString()).contains("missing");
    }

    @Test
    void connectionIdKeyComesFromFileOrEnvironment() throws Exception {
        byte[] key = HexFormat.of().parseHex(KEY_HEX);
        assertThat(config(Map.of("SHOAL_CONNECTION_ID_KEY", KEY_HEX)).connectionIdKey()).isEqualTo(key);
        Path file = Files.writeString(dir.resolve("key"), Base64.getEncoder().encodeToString(key) + "\n");
        assertThat(config(Map.of(), "--connection-id-key-file", file.toString()).connectionIdKey()).isEqualTo(key);
        assertThat(config(Map.of("SHOAL_CONNECTION_ID_KEY_FILE", file.toString())).connectionIdKey()).isEqualTo(key);

        assertThat(run(Map.of("SHOAL_CONNECTION_ID_KEY", "not-a-key-0123"), "shard")).isEqualTo(2);
        assertThat(err.toString()).contains("SHOAL_CONNECTION_ID_KEY").doesNotContain("not-a-key-0123");
        Map<String, String> both = new HashMap<>(Map.of("SHOAL_CONNECTION_ID_KEY", KEY_HEX));
        assertThat(run(both, "shard", "--connection-id-key-file", file.toString())).isEqualTo(2);
        assertThat(run(Map.of(), "shard", "--connection-id-key-file", dir.resolve("missing").toString())).isEqualTo(2);
    }

    @Test
    void versionAndBareCommand() {
        assertThat(run(Map.of(), "--version")).isZero();
        assertThat(out.toString()).startsWith("shoal ");
        assertThat(run(Map.of())).as("no subcommand is a usage error").isEqualTo(2);
        assertThat(err.toString()).contains("shard");
    }

    @Test
    void theParsedCommandStartsAWorkingShard() throws Exception {
        CommandLine cl = cli(Map.of("SHOAL_CONNECTION_ID_KEY", KEY_HEX));
        cl.parseArgs("shard", "--bind", "127.0.0.1", "--port", "0", "--admin-port", "0", "--threads", "1");
        ShardCommand cmd = cl.getSubcommands().get("shard").getCommand();
        try (ShardRuntime runtime = cmd.start(cmd.toConfig());
             DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            byte[] connect = ByteBuffer.allocate(16).putLong(0x41727101980L).putInt(0).putInt(5).array();
            udp.send(new DatagramPacket(connect, 16, new InetSocketAddress("127.0.0.1", runtime.udpPort())));
            udp.setSoTimeout(5000);
            DatagramPacket reply = new DatagramPacket(new byte[64], 64);
            udp.receive(reply);
            assertThat(reply.getLength()).isEqualTo(16);

            HttpResponse<String> ready = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + runtime.adminPort() + "/readyz"))
                            .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void shardEnvironmentDoesNotReachTheLoadGenerator() {
        CommandLine cl = cli(Map.of("SHOAL_CLIENTS", "7", "SHOAL_PORT", "7100"));
        cl.parseArgs("loadgen", "--port", "6969");
        CommandLine loadgen = cl.getSubcommands().get("loadgen");
        assertThat(loadgen.getCommandSpec().findOption("--clients").<Integer>getValue()).isEqualTo(1000);
        assertThat(loadgen.getCommandSpec().findOption("--port").<Integer>getValue()).isEqualTo(6969);
    }

    @Test
    void redisIsChosenByUriAndBadUrisAreUsageErrors() {
        assertThat(config(Map.of()).usesRedis()).isFalse();
        ShardConfig c = config(Map.of("SHOAL_REDIS", "redis://127.0.0.1:6379/2"), "--redis-timeout", "250ms");
        assertThat(c.usesRedis()).isTrue();
        assertThat(c.redisUri()).isEqualTo("redis://127.0.0.1:6379/2");
        assertThat(c.redisTimeout()).isEqualTo(Duration.ofMillis(250));

        assertThat(run(Map.of(), "shard", "--redis", "http://127.0.0.1:6379")).isEqualTo(2);
        assertThat(err.toString()).contains("redis://");
        assertThat(run(Map.of(), "shard", "--redis", "redis://127.0.0.1:6379/x")).isEqualTo(2);
        assertThat(run(Map.of(), "shard", "--redis", "redis:///0")).isEqualTo(2);
    }

    @Test
    void trustedProxiesComeFromRepeatedAndCommaSeparatedFlagsOrTheEnvironment() {
        ShardConfig none = config(Map.of());
        assertThat(none.trustedProxies().isEmpty()).isTrue();

        ShardConfig flagged = config(Map.of(), "--trusted-proxy", "10.0.0.0/8,fd00::/8", "--trusted-proxy", "127.0.0.1");
        assertThat(flagged.trustedProxies().cidrs()).containsExactly("10.0.0.0/8", "fd00::/8", "127.0.0.1");

        ShardConfig fromEnv = config(Map.of("SHOAL_TRUSTED_PROXY", "192.168.0.0/16, ::1"));
        assertThat(fromEnv.trustedProxies().cidrs()).containsExactly("192.168.0.0/16", "::1");
    }

    @Test
    void aBadTrustedProxyIsAUsageError() {
        assertThat(run(Map.of(), "shard", "--trusted-proxy", "10.0.0.0/33")).isEqualTo(2);
        assertThat(err.toString()).contains("10.0.0.0/33");
        assertThat(run(Map.of(), "shard", "--trusted-proxy", "ingress.local")).isEqualTo(2);
        assertThat(run(Map.of("SHOAL_TRUSTED_PROXY", "10.0.0.1/8"), "shard")).isEqualTo(2);
    }
}
