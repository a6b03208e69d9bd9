package io.shoal.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shoal.routing.SlotMap;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A whole sharded tracker started by {@code e2e/local-cluster.sh start --detach}, as a person would start it:
 * shards, Redis, routing document and ingress as separate processes. What runs where is read back from the
 * script's {@code cluster.json}; {@link #close()} runs {@code local-cluster.sh stop}.
 */
final class LocalCluster implements AutoCloseable {
    private static final Duration START_LIMIT = Duration.ofMinutes(4);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(60);
    private static final int START_ATTEMPTS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One process of a shard: its public tracker port and its admin port, both on {@code host}. */
    record Replica(int shard, int index, String host, int port, int adminPort, long pid, Path log) {
        String url(String path) {
            return "http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + adminPort + path;
        }
    }

    private final Path dir;
    private final JsonNode description;
    private final List<List<Replica>> shards;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private LocalCluster(Path dir, JsonNode description) {
        this.dir = dir;
        this.description = description;
        List<List<Replica>> all = new ArrayList<>();
        for (JsonNode shard : description.path("shards")) {
            List<Replica> replicas = new ArrayList<>();
            int index = 0;
            for (JsonNode r : shard.path("replicas")) {
                replicas.add(new Replica(shard.path("shard").asInt(), index++, r.path("host").asText(),
                        r.path("port").asInt(), r.path("adminPort").asInt(), r.path("pid").asLong(),
                        Path.of(r.path("log").asText())));
            }
            all.add(List.copyOf(replicas));
        }
        this.shards = List.copyOf(all);
    }

    /**
     * Starts a cluster through the script in a fresh directory under {@code work}. The script's ports are a block
     * from a base number; the base is drawn below the kernel's ephemeral range (32768+), where other tests' port-0
     * sockets never land, and a start that loses a port to someone else is retried on another block.
     */
    static LocalCluster start(Path work, String... options) throws IOException, InterruptedException {
        AssertionError last = null;
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            int base = 20_000 + 500 * ThreadLocalRandom.current().nextInt(24);
            Path dir = work.resolve("cluster-" + attempt);
            List<String> command = new ArrayList<>(List.of("bash", Artifacts.localClusterScript().toString(), "start",
                    "--detach", "--dir", dir.toString(), "--base-port", Integer.toString(base),
                    "--jar", Artifacts.jar().toString(), "--java", Artifacts.java().toString()));
            command.addAll(List.of(options));
            ExternalProcess.Outcome outcome = ExternalProcess.run(command, work.resolve("start-" + attempt + ".log"),
                    START_LIMIT);
            if (outcome.exitCode() == 0) {
                return new LocalCluster(dir, JSON.readTree(dir.resolve("cluster.json").toFile()));
            }
            last = new AssertionError("local-cluster.sh start failed (" + outcome.exitCode() + "):\n"
                    + outcome.output() + logs(dir));
            if (!outcome.output().contains("Address already in use") && !logs(dir).contains("Address already in use")) {
                break;
            }
        }
        throw last;
    }

    int ingressPort() {
        return description.path("ingress").path("port").asInt();
    }

    int ingressAdminPort() {
        return description.path("ingress").path("adminPort").asInt();
    }

    String udpAnnounceUrl() {
        return "udp://127.0.0.1:" + ingressPort() + "/announce";
    }

    String httpAnnounceUrl() {
        return "http://127.0.0.1:" + ingressPort() + "/announce";
    }

    int shardCount() {
        return shards.size();
    }

    List<Replica> replicas(int shard) {
        return shards.get(shard);
    }

    Path dir() {
        return dir;
    }

    Path routingFile() {
        return Path.of(description.path("routing").asText());
    }

    SlotMap routing() throws IOException {
        return SlotMap.fromJson(Files.readString(routingFile()));
    }

    /**
     * Replaces the routing document the way a careful operator (and Kubernetes' ConfigMap volume) does: written
     * beside it, then renamed over it, so the ingress never reads half a document.
     */
    void writeRouting(SlotMap map) throws IOException {
        Path next = routingFile().resolveSibling("routing.json.next");
        Files.writeString(next, map.toPrettyJson());
        Files.move(next, routingFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    JsonNode ingressStats() throws IOException, InterruptedException {
        return getJson("http://127.0.0.1:" + ingressAdminPort() + "/stats");
    }

    String ingressMetrics() throws IOException, InterruptedException {
        return get("http://127.0.0.1:" + ingressAdminPort() + "/metrics");
    }

    JsonNode stats(Replica replica) throws IOException, InterruptedException {
        return getJson(replica.url("/stats"));
    }

    /** Requests of one protocol and kind answered ok by all live replicas of {@code shard}. */
    long answered(int shard, String protocol, String kind) throws IOException, InterruptedException {
        long sum = 0;
        for (Replica r : shards.get(shard)) {
            if (isAlive(r)) {
                sum += ShardProcess.requests(stats(r), protocol, kind, "ok");
            }
        }
        return sum;
    }

    boolean isAlive(Replica replica) {
        return ProcessHandle.of(replica.pid()).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Kills one replica as a crash would (SIGKILL) and waits until it is gone. */
    void kill(Replica replica) throws InterruptedException {
        Optional<ProcessHandle> handle = ProcessHandle.of(replica.pid());
        if (handle.isEmpty()) {
            throw new AssertionError("replica " + replica + " is not running");
        }
        handle.get().destroyForcibly();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (handle.get().isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        if (handle.get().isAlive()) {
            throw new AssertionError("replica " + replica + " still alive after SIGKILL");
        }
    }

    /** Every pid the script recorded (ingress, shards, Redis). */
    List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        pids.add(description.path("ingress").path("pid").asLong());
        for (JsonNode shard : description.path("shards")) {
            for (JsonNode r : shard.path("replicas")) {
                pids.add(r.path("pid").asLong());
            }
            if (shard.has("redis")) {
                pids.add(shard.path("redis").path("pid").asLong());
            }
        }
        return pids;
    }

    /** The logs of every process, for failure messages. */
    String logs() {
        return logs(dir);
    }

    private static String logs(Path dir) {
        StringBuilder out = new StringBuilder();
        try (var files = Files.list(dir)) {
            for (Path log : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                String text = Files.readString(log);
                out.append("\n--- ").append(log.getFileName()).append(" (last 40 lines) ---\n");
                String[] lines = text.split("\n");
                for (int i = Math.max(0, lines.length - 40); i < lines.length; i++) {
                    out.append(lines[i]).append('\n');
                }
            }
        } catch (IOException e) {
            out.append("\n(no logs in ").append(dir).append(": ").append(e.getMessage()).append(')');
        }
        return out.toString();
    }

    private JsonNode getJson(String url) throws IOException, InterruptedException {
        return JSON.readTree(get(url));
    }

    private String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** Runs {@code local-cluster.sh stop} and checks that every process it started is gone. */
    @Override
    public void close() throws IOException, InterruptedException {
        ExternalProcess.Outcome outcome = ExternalProcess.run(List.of("bash",
                Artifacts.localClusterScript().toString(), "stop", "--dir", dir.toString()),
                dir.resolve("stop.out"), STOP_LIMIT);
        List<Long> alive = pids().stream()
                .filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).toList();
        alive.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        if (outcome.exitCode() != 0 || !alive.isEmpty()) {
            throw new AssertionError("local-cluster.sh stop exited " + outcome.exitCode() + " leaving " + alive
                    + " running:\n" + outcome.output());
        }
    }
}
