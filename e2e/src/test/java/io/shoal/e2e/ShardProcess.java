package io.shoal.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shoal.tracker.testing.LoopbackPorts;
import io.shoal.tracker.testing.Processes;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The packaged tracker running as its own process ({@code java -jar shoal-tracker.jar shard ...}) on loopback. */
final class ShardProcess implements AutoCloseable {
    private static final Duration READY_WITHIN = Duration.ofSeconds(60);
    private static final int START_ATTEMPTS = 3;

    private final Process process;
    private final int port;
    private final int adminPort;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ShardProcess(Process process, int port, int adminPort, Path log) {
        this.process = process;
        this.port = port;
        this.adminPort = adminPort;
        this.log = log;
    }

    /** Starts a shard on free loopback ports and waits until {@code /readyz} says ready. */
    static ShardProcess start(Path workDir, String... extraArgs) throws IOException, InterruptedException {
        Path jar = Artifacts.jar();
        AssertionError last = null;
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            int port = LoopbackPorts.freeTcpAndUdp();
            int adminPort = LoopbackPorts.freeTcp();
            List<String> command = new ArrayList<>(List.of(Artifacts.java().toString(), "-jar", jar.toString(),
                    "shard", "--bind", "127.0.0.1", "--port", Integer.toString(port),
                    "--admin-port", Integer.toString(adminPort)));
            command.addAll(List.of(extraArgs));
            Path log = workDir.resolve("shard-" + attempt + ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .start();
            ShardProcess shard = new ShardProcess(process, port, adminPort, log);
            try {
                shard.awaitReady();
                return shard;
            } catch (AssertionError e) {
                shard.close();
                last = e;
                // a port taken between choosing and binding: try other numbers
            }
        }
        throw last;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    String httpAnnounceUrl() {
        return "http://127.0.0.1:" + port + "/announce";
    }

    String udpAnnounceUrl() {
        return "udp://127.0.0.1:" + port + "/announce";
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("shard exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                if (get("/readyz").statusCode() == 200) {
                    return;
                }
            } catch (ConnectException notYet) {
                // admin port not bound yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("shard not ready within " + READY_WITHIN + ":\n" + log());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                .timeout(Duration.ofSeconds(10)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    JsonNode stats() throws IOException, InterruptedException {
        HttpResponse<String> response = get("/stats");
        if (response.statusCode() != 200) {
            throw new AssertionError("/stats answered " + response.statusCode() + ": " + response.body());
        }
        return new ObjectMapper().readTree(response.body());
    }

    /** {@code /stats} request count for protocol/kind/result, e.g. ("udp", "announce", "ok"). */
    static long requests(JsonNode stats, String protocol, String kind, String result) {
        JsonNode n = stats.path("requests").path(protocol).path(kind).path(result);
        if (!n.isNumber()) {
            throw new AssertionError("/stats has no requests." + protocol + "." + kind + "." + result + ": " + stats);
        }
        return n.asLong();
    }

    String metrics() throws IOException, InterruptedException {
        HttpResponse<String> response = get("/metrics");
        if (response.statusCode() != 200) {
            throw new AssertionError("/metrics answered " + response.statusCode());
        }
        return response.body();
    }

    /** The value of one Prometheus sample whose labels include all of {@code labels} ("name=\"value\""). */
    static double sample(String metrics, String name, String... labels) {
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\}\\s+(\\S+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(metrics);
        Double found = null;
        while (m.find()) {
            String labelText = m.group(1);
            boolean all = true;
            for (String label : labels) {
                all &= labelText.contains(label);
            }
            if (all) {
                if (found != null) {
                    throw new AssertionError("more than one sample of " + name + " with " + List.of(labels));
                }
                found = Double.parseDouble(m.group(2));
            }
        }
        if (found == null) {
            throw new AssertionError("no sample of " + name + " with " + List.of(labels));
        }
        return found;
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws InterruptedException {
        Processes.stop(process, Duration.ofSeconds(10));
    }
}
