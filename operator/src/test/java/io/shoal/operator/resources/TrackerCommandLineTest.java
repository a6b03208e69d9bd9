package io.shoal.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.shoal.operator.api.v1alpha1.AccessListSpec;
import io.shoal.operator.api.v1alpha1.AccessMode;
import io.shoal.operator.api.v1alpha1.RedisMode;
import io.shoal.operator.api.v1alpha1.TrackerCluster;
import io.shoal.operator.api.v1alpha1.TrackerShard;
import io.shoal.tracker.cli.IngressCommand;
import io.shoal.tracker.cli.ShardCommand;
import io.shoal.tracker.cli.ShoalMain;
import io.shoal.tracker.ingress.IngressConfig;
import io.shoal.tracker.server.PeerStoreFactory;
import io.shoal.tracker.server.ShardConfig;
import io.shoal.tracker.server.ShardRuntime;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The pods' command lines as the tracker itself reads them: each container's args go through the real
 * {@code shoal} command tree and its validation, so a renamed flag or a format the tracker does not
 * accept fails here rather than in a crash-looping pod.
 */
class TrackerCommandLineTest {

    private static final String KEY = "00112233445566778899aabbccddeeff";

    @TempDir
    Path dir;

    record Case(String name, Consumer<TrackerCluster> spec) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> clusters() {
        return Stream.of(
                new Case("minimal", tc -> { }),
                new Case("every announce setting", tc -> {
                    tc.getSpec().announce.interval = "20m";
                    tc.getSpec().announce.minInterval = "90s";
                    tc.getSpec().announce.peerTtl = "1h";
                    tc.getSpec().announce.numwantDefault = 0;
                    tc.getSpec().announce.numwantMax = 2000;
                    tc.getSpec().trustedProxies = List.of("10.42.0.0/16", "fd00:42::/56", "192.168.7.1/32");
                }),
                new Case("millisecond and day durations", tc -> {
                    tc.getSpec().announce.interval = "90000ms";
                    tc.getSpec().announce.minInterval = "60";
                    tc.getSpec().announce.peerTtl = "1d";
                }),
                new Case("allow list", tc -> {
                    tc.getSpec().accessList = new AccessListSpec();
                    tc.getSpec().accessList.mode = AccessMode.Allow;
                    tc.getSpec().accessList.infohashes = List.of("0123456789abcdef0123456789abcdef01234567");
                }),
                new Case("deny list", tc -> {
                    tc.getSpec().accessList = new AccessListSpec();
                    tc.getSpec().accessList.mode = AccessMode.Deny;
                }),
                new Case("external redis", tc -> {
                    tc.getSpec().redis.mode = RedisMode.External;
                    tc.getSpec().redis.url = "rediss://redis-{shard}.example.net:6380/2";
                }));
    }

    private static TrackerCluster cluster(Case c) {
        TrackerCluster tc = Fixtures.cluster("tr", 3);
        c.spec().accept(tc);
        return tc;
    }

    private static Container container(Deployment d) {
        assertThat(d.getSpec().getTemplate().getSpec().getContainers()).hasSize(1);
        return d.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    /** The args with each mounted file replaced by a real one holding what the mount would. */
    private List<String> withMountedFiles(Container c) throws IOException {
        Path key = Files.writeString(dir.resolve("key"), KEY + "\n");
        Path list = Files.writeString(dir.resolve("infohashes"), "0123456789abcdef0123456789abcdef01234567\n");
        List<String> mounted = c.getVolumeMounts().stream().map(VolumeMount::getMountPath).toList();
        List<String> args = new ArrayList<>();
        for (String a : c.getArgs()) {
            if (a.equals(PodParts.KEY_FILE)) {
                assertThat(mounted).contains(PodParts.KEY_DIR);
                args.add(key.toString());
            } else if (a.equals(PodParts.ACCESS_LIST_FILE)) {
                assertThat(mounted).contains(PodParts.ACCESS_LIST_DIR);
                args.add(list.toString());
            } else {
                args.add(a);
            }
        }
        return args;
    }

    private static ParseResult parse(Container c, List<String> args) {
        // Variables set on the container are read as the tracker reads the process environment.
        Map<String, String> env = new java.util.HashMap<>();
        for (EnvVar e : c.getEnv()) {
            env.put(e.getName(), e.getValue());
        }
        return ShoalMain.commandLine(env).parseArgs(args.toArray(String[]::new));
    }

    /** Every SHOAL_* variable a pod gets names an option of its command (the rest are not the tracker's). */
    private static void envNamesOptions(Container c, CommandLine command) {
        List<String> variables = command.getCommandSpec().options().stream()
                .map(o -> "SHOAL_" + o.longestName().replaceFirst("^-+", "").replace('-', '_').toUpperCase())
                .toList();
        for (EnvVar e : c.getEnv()) {
            if (e.getName().startsWith("SHOAL_") && !e.getName().equals("SHOAL_CONNECTION_ID_KEY")) {
                assertThat(variables).as("option for %s", e.getName()).contains(e.getName());
            }
        }
    }

    /** The probes hit the admin port the args set, through a container port that has that number. */
    private static void probesOnAdminPort(Container c, int adminPort) {
        assertThat(c.getPorts()).filteredOn(p -> p.getName().equals(PodParts.ADMIN_PORT_NAME))
                .singleElement().extracting(ContainerPort::getContainerPort).isEqualTo(adminPort);
        for (Probe p : List.of(c.getLivenessProbe(), c.getReadinessProbe())) {
            assertThat(p.getHttpGet().getPort().getStrVal()).isEqualTo(PodParts.ADMIN_PORT_NAME);
        }
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    }

    private static List<Integer> containerPorts(Container c, String protocol) {
        return c.getPorts().stream().filter(p -> p.getProtocol().equals(protocol))
                .map(ContainerPort::getContainerPort).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clusters")
    void shardArgsAreACommandLineTheShardAccepts(Case c) throws IOException {
        TrackerCluster tc = cluster(c);
        for (int index = 0; index < tc.getSpec().shards; index++) {
            TrackerShard ts = Fixtures.shard(tc, index);
            Container container = container(ShardResources.deployment(ts));
            ParseResult parsed = parse(container, withMountedFiles(container));
            assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("shard");
            assertThat(parsed.subcommand().unmatched()).isEmpty();
            envNamesOptions(container, parsed.subcommand().commandSpec().commandLine());

            ShardConfig config = ((ShardCommand) parsed.subcommand().commandSpec().userObject()).toConfig();
            assertThat(config.port()).isEqualTo(Names.PUBLIC_PORT);
            assertThat(config.internalPort()).isEqualTo(Names.INTERNAL_PORT);
            assertThat(containerPorts(container, "UDP")).containsExactlyInAnyOrder(config.port(), config.internalPort());
            assertThat(containerPorts(container, "TCP"))
                    .containsExactlyInAnyOrder(config.port(), config.internalPort(), config.adminPort());
            probesOnAdminPort(container, config.adminPort());
            assertThat(config.interval()).isEqualTo(Durations.of(tc.getSpec().announce.interval));
            assertThat(config.minInterval()).isEqualTo(Durations.of(tc.getSpec().announce.minInterval));
            assertThat(config.peerTtl()).isEqualTo(Durations.of(tc.getSpec().announce.peerTtl));
            assertThat(config.numwantDefault()).isEqualTo(tc.getSpec().announce.numwantDefault);
            assertThat(config.numwantMax()).isEqualTo(tc.getSpec().announce.numwantMax);
            assertThat(config.redisUri()).isEqualTo(ShardResources.redisUrl(ts));
            assertThat(config.trustedProxies().cidrs()).containsExactlyElementsOf(tc.getSpec().trustedProxies);
            if (tc.getSpec().accessList != null) {
                assertThat(config.accessMode().name()).isEqualToIgnoringCase(tc.getSpec().accessList.mode.name());
                assertThat(config.accessListFile()).isNotNull();
            } else {
                assertThat(config.accessListFile()).isNull();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clusters")
    void ingressArgsAreACommandLineTheIngressAccepts(Case c) throws IOException {
        TrackerCluster tc = cluster(c);
        Container container = container(IngressResources.deployment(tc, PodParts.keyDigest(KEY)));
        ParseResult parsed = parse(container, withMountedFiles(container));
        assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("ingress");
        assertThat(parsed.subcommand().unmatched()).isEmpty();
        envNamesOptions(container, parsed.subcommand().commandSpec().commandLine());

        IngressConfig config = ((IngressCommand) parsed.subcommand().commandSpec().userObject()).toConfig();
        assertThat(config.routingConfigMap()).isEqualTo(Names.routingConfigMap("tr"));
        assertThat(containerPorts(container, "UDP")).containsExactly(config.port());
        assertThat(containerPorts(container, "TCP")).containsExactlyInAnyOrder(config.port(), config.adminPort());
        probesOnAdminPort(container, config.adminPort());
    }

    static Stream<Case> edgeSpecs() {
        return Stream.of(
                new Case("peerTtl equal to interval", tc -> tc.getSpec().announce.peerTtl = "30m"),
                new Case("minInterval equal to interval", tc -> tc.getSpec().announce.minInterval = "30m"),
                new Case("zero interval", tc -> {
                    tc.getSpec().announce.interval = "0s";
                    tc.getSpec().announce.minInterval = "0s";
                }),
                new Case("zero minInterval", tc -> tc.getSpec().announce.minInterval = "0"),
                new Case("interval of more than a year", tc -> {
                    tc.getSpec().announce.interval = "400d";
                    tc.getSpec().announce.peerTtl = "401d";
                }),
                new Case("peerTtl of more than a year", tc -> tc.getSpec().announce.peerTtl = "999999999h"),
                new Case("numwant 0 of 1", tc -> {
                    tc.getSpec().announce.numwantDefault = 0;
                    tc.getSpec().announce.numwantMax = 1;
                }),
                new Case("redis url with a path that is no database", tc -> {
                    tc.getSpec().redis.mode = RedisMode.External;
                    tc.getSpec().redis.url = "redis://redis-{shard}:6379/peers";
                }),
                new Case("redis url without a host", tc -> {
                    tc.getSpec().redis.mode = RedisMode.External;
                    tc.getSpec().redis.url = "redis://:6379";
                }),
                new Case("host trusted proxy", tc -> tc.getSpec().trustedProxies = List.of("10.1.2.3/32", "::1/128")),
                new Case("trusted proxy prefix too long", tc -> tc.getSpec().trustedProxies = List.of("10.0.0.0/33")));
    }

    /**
     * The operator's own check of a spec and the tracker's check of the pods' command lines agree: what the
     * operator accepts, every shard starts with; what a shard would refuse, the operator reports up front.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("edgeSpecs")
    void theOperatorAcceptsASpecExactlyWhenItsShardsDo(Case c) throws IOException {
        TrackerCluster tc = cluster(c);
        List<String> problems = io.shoal.operator.reconcile.SpecProblems.of("tr", tc.getSpec());
        List<String> refusals = new ArrayList<>();
        for (int index = 0; index < tc.getSpec().shards; index++) {
            Container container = container(ShardResources.deployment(Fixtures.shard(tc, index)));
            try {
                ParseResult parsed = parse(container, withMountedFiles(container));
                ((ShardCommand) parsed.subcommand().commandSpec().userObject()).toConfig();
            } catch (CommandLine.ParameterException e) {
                refusals.add(e.getMessage());
            }
        }
        assertThat(problems.isEmpty()).as("operator problems %s, shard refusals %s", problems, refusals)
                .isEqualTo(refusals.isEmpty());
    }

    /** The probe paths are pages the tracker's admin port serves (200 on a started, ready shard). */
    @Test
    void probePathsAreServedByTheAdminPort() throws Exception {
        ShardConfig config = ShardConfig.builder().bind("127.0.0.1").port(0).adminPort(0).build();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (ShardRuntime shard = ShardRuntime.start(config, PeerStoreFactory.create(config))) {
            for (Probe p : List.of(PodParts.liveness(), PodParts.readiness())) {
                URI uri = URI.create("http://127.0.0.1:" + shard.adminPort() + p.getHttpGet().getPath());
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(uri.toString()).isEqualTo(200);
            }
        }
    }

    /** The CRD's duration text as the tracker reads it. */
    private static final class Durations {
        static Duration of(String text) {
            return io.shoal.tracker.server.Durations.parse(text);
        }
    }
}
