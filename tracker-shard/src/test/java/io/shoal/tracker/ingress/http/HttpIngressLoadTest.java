package io.shoal.tracker.ingress.http;

import static io.shoal.tracker.ingress.http.HttpIngressTest.failure;
import static io.shoal.tracker.ingress.http.HttpIngressTest.peerId;
import static io.shoal.tracker.testing.TrackerRequests.announceQuery;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.tracker.protocol.Bencode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Many keep-alive clients at once through a real ingress: every request answered, and the ingress's own congestion
 * (requests waiting for one of its pooled connections) never held against a healthy replica.
 */
class HttpIngressLoadTest {
    private static final int CLIENT_TIMEOUT_MILLIS = 15_000;

    @Test
    void concurrentKeepAliveClientsAreAllAnsweredAndNoReplicaIsBlamed() throws Exception {
        int clients = 32;
        int requestsEach = 25;
        // The shards cap connections per client address far below the ingress's pool: behind an ingress every
        // connection to the internal port comes from the ingress's one address, so that cap must not apply there.
        try (IngressRig rig = IngressRig.behindInternalPorts(2,
                b -> b.maxConnectionsPerReplica(16).forwardTimeout(Duration.ofSeconds(10)),
                s -> s.httpMaxConnectionsPerAddress(4))) {
            InetSocketAddress ingress = new InetSocketAddress("127.0.0.1", rig.ingressPort(0));
            ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
            AtomicInteger answered = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    int client = c;
                    done.add(pool.submit(() -> {
                        try (KeepAliveClient http = new KeepAliveClient(ingress, CLIENT_TIMEOUT_MILLIS)) {
                            for (int i = 0; i < requestsEach; i++) {
                                byte[] hash = rig.hashOf(i % 2, client * 1000 + i);
                                KeepAliveClient.Answer a = http.get("/announce?"
                                        + announceQuery(hash, peerId(client), 6881, 0, ""));
                                Map<String, Object> d = dict(a.body());
                                if (a.status() != 200 || failure(d) != null || !d.containsKey("interval")
                                        || !a.keepAlive()) {
                                    problems.add("client " + client + " request " + i + ": " + a.status() + " "
                                            + failure(d) + " keep-alive " + a.keepAlive());
                                    return null;
                                }
                                answered.incrementAndGet();
                            }
                        } catch (IOException e) {
                            problems.add("client " + client + ": " + e);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(problems).isEmpty();
            assertThat(answered.get()).isEqualTo(clients * requestsEach);
            assertThat(rig.routes.failures.get()).as("replicas reported failed").isZero();
            assertThat(rig.requests("announce", "0", "ok") + rig.requests("announce", "1", "ok"))
                    .isEqualTo(clients * requestsEach);
        }
    }

    @Test
    void aDeadlinePassedWaitingForAPooledConnectionDoesNotBlameTheReplica() throws Exception {
        // A healthy replica that takes 100 ms per answer, behind one pooled connection: 24 requests at once need
        // 2.4 s, the forward timeout is 1 s, so most wait in the ingress's queue until their deadline passes.
        try (SlowReplica slow = new SlowReplica(100);
             IngressRig rig = IngressRig.start(1, (k, live) -> List.of(slow.address()),
                     b -> b.maxConnectionsPerReplica(1).forwardTimeout(Duration.ofSeconds(1)))) {
            InetSocketAddress ingress = new InetSocketAddress("127.0.0.1", rig.ingressPort(0));
            int clients = 24;
            AtomicInteger answered = new AtomicInteger();
            AtomicInteger timedOut = new AtomicInteger();
            ConcurrentLinkedQueue<String> other = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    int client = c;
                    done.add(pool.submit(() -> {
                        try (KeepAliveClient http = new KeepAliveClient(ingress, CLIENT_TIMEOUT_MILLIS)) {
                            KeepAliveClient.Answer a = http.get("/announce?"
                                    + announceQuery(rig.hashOf(0, client), peerId(client), 6881, 0, ""));
                            String why = failure(dict(a.body()));
                            if (why == null) {
                                answered.incrementAndGet();
                            } else if (why.equals("tracker shard timed out")) {
                                timedOut.incrementAndGet();
                            } else {
                                other.add(why);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(other).isEmpty();
            assertThat(answered.get()).isPositive();
            assertThat(timedOut.get()).isPositive();
            assertThat(rig.routes.failures.get()).as("replicas reported failed").isZero();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dict(byte[] body) {
        return (Map<String, Object>) Bencode.decode(body);
    }

    /** A tracker replica on a real socket that answers every keep-alive request correctly, after a delay. */
    private static final class SlowReplica implements AutoCloseable {
        private static final byte[] ANSWER_BODY = "d8:intervali1800e5:peers0:e".getBytes(StandardCharsets.US_ASCII);
        private final ServerSocket server;
        private final ExecutorService connections = Executors.newCachedThreadPool();
        private final long delayMillis;

        SlowReplica(long delayMillis) throws IOException {
            this.delayMillis = delayMillis;
            server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            connections.submit(this::acceptAll);
        }

        InetSocketAddress address() {
            return new InetSocketAddress("127.0.0.1", server.getLocalPort());
        }

        private Void acceptAll() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    connections.submit(() -> serve(s));
                } catch (IOException e) {
                    return null;
                }
            }
            return null;
        }

        private Void serve(Socket s) {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                s.setSoTimeout(30_000);
                while (skipRequestHead(in)) {
                    Thread.sleep(delayMillis);
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + ANSWER_BODY.length
                            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(ANSWER_BODY);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the ingress closed the connection, or the test ended
            }
            return null;
        }

        /** Reads up to the blank line after a request's headers; false at the end of the stream. */
        private static boolean skipRequestHead(InputStream in) throws IOException {
            int matched = 0;
            int read = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0 || ++read > 16_384) {
                    return false;
                }
                matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            server.close();
            connections.shutdownNow();
        }
    }
}
