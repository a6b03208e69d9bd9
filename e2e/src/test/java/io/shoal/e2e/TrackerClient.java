package io.shoal.e2e;

import io.shoal.tracker.protocol.Bencode;
import io.shoal.tracker.testing.TrackerRequests;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A minimal tracker client for tests across processes: HTTP announces and scrapes decoded with the
 * project's strict bencode decoder, and BEP 15 over a plain DatagramSocket.
 */
final class TrackerClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String host;
    private final int port;

    TrackerClient(int port) {
        this("127.0.0.1", port);
    }

    /** A client of the tracker at {@code host} (an IPv4 or IPv6 literal) and {@code port}. */
    TrackerClient(String host, int port) {
        this.host = host;
        this.port = port;
    }

    static byte[] randomHash() {
        byte[] b = new byte[20];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    /** The decoded HTTP announce reply; {@code left == 0} announces a seeder. */
    @SuppressWarnings("unchecked")
    Map<String, Object> announce(byte[] infoHash, byte[] peerId, int peerPort, long left, String event)
            throws IOException, InterruptedException {
        String query = TrackerRequests.announceQuery(infoHash, peerId, peerPort, left,
                "compact=1&numwant=50" + (event == null ? "" : "&event=" + event));
        return (Map<String, Object>) Bencode.decode(get("/announce?" + query));
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> scrape(byte[] infoHash) throws IOException, InterruptedException {
        return (Map<String, Object>) Bencode.decode(get("/scrape?info_hash=" + TrackerRequests.pct(infoHash)));
    }

    /** One HTTP scrape of several infohashes; the decoded {@code files} dictionary keyed by raw infohash. */
    @SuppressWarnings("unchecked")
    Map<String, Object> scrapeFiles(java.util.List<byte[]> infoHashes) throws IOException, InterruptedException {
        StringBuilder query = new StringBuilder("/scrape?");
        for (int i = 0; i < infoHashes.size(); i++) {
            query.append(i == 0 ? "" : "&").append("info_hash=").append(TrackerRequests.pct(infoHashes.get(i)));
        }
        Map<String, Object> reply = (Map<String, Object>) Bencode.decode(get(query.toString()));
        Object files = reply.get("files");
        if (!(files instanceof Map)) {
            throw new AssertionError("scrape reply without files: " + reply.keySet());
        }
        return (Map<String, Object>) files;
    }

    /** Seeders ("complete") of one hash in a decoded {@code files} dictionary; 0 when the hash is absent. */
    static long complete(Map<String, Object> files, byte[] infoHash) {
        return field(files, infoHash, "complete");
    }

    /** Leechers ("incomplete") of one hash in a decoded {@code files} dictionary; 0 when the hash is absent. */
    static long incomplete(Map<String, Object> files, byte[] infoHash) {
        return field(files, infoHash, "incomplete");
    }

    @SuppressWarnings("unchecked")
    private static long field(Map<String, Object> files, byte[] infoHash, String name) {
        Object entry = files.get(new String(infoHash, StandardCharsets.ISO_8859_1));
        if (entry == null) {
            return 0;
        }
        return ((Number) ((Map<String, Object>) entry).get(name)).longValue();
    }
    private byte[] get(String pathAndQuery) throws IOException, InterruptedException {
        String authority = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + authority + ":" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).GET().build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new AssertionError("HTTP " + response.statusCode() + " for " + pathAndQuery);
        }
        return response.body();
    }

    /** Compact IPv4 peers of an announce reply as "a.b.c.d:port" strings. */
    static java.util.List<String> peers(Map<String, Object> reply) {
        byte[] compact = (byte[]) reply.get("peers");
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i + 6 <= compact.length; i += 6) {
            out.add((compact[i] & 0xFF) + "." + (compact[i + 1] & 0xFF) + "." + (compact[i + 2] & 0xFF) + "."
                    + (compact[i + 3] & 0xFF) + ":" + (((compact[i + 4] & 0xFF) << 8) | (compact[i + 5] & 0xFF)));
        }
        return out;
    }

    static String text(Object bencodedString) {
        return bencodedString == null ? null : new String((byte[]) bencodedString, StandardCharsets.ISO_8859_1);
    }

    /**
     * One BEP 15 exchange: connect, then announce. Returns the raw announce reply (action 1 or 3), or
     * null when nothing came back within the timeout.
     */
    byte[] udpAnnounce(byte[] infoHash, byte[] peerId, int peerPort, Duration timeout) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, localAddress())) {
            socket.setSoTimeout((int) timeout.toMillis());
            int tx = ThreadLocalRandom.current().nextInt();
            Long connectionId = udpConnect(socket, tx);
            if (connectionId == null) {
                return null;
            }
            byte[] announce = TrackerRequests.udpAnnounce(connectionId, tx + 1, infoHash, peerId, 100, 2, 0, 50,
                    peerPort);
            return exchange(socket, announce);
        }
    }

    /**
     * One BEP 15 exchange: connect, then a scrape of {@code infoHashes} in one datagram. Returns the raw reply
     * (action 2 with 12 bytes per hash, or 3), or null when nothing came back within the timeout.
     */
    byte[] udpScrape(java.util.List<byte[]> infoHashes, Duration timeout) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, localAddress())) {
            socket.setSoTimeout((int) timeout.toMillis());
            int tx = ThreadLocalRandom.current().nextInt();
            Long connectionId = udpConnect(socket, tx);
            if (connectionId == null) {
                return null;
            }
            ByteBuffer scrape = ByteBuffer.allocate(16 + 20 * infoHashes.size())
                    .putLong(connectionId).putInt(2).putInt(tx + 1);
            infoHashes.forEach(scrape::put);
            return exchange(socket, scrape.array());
        }
    }

    /** The loopback address of the tracker's family: a socket bound to 127.0.0.1 cannot reach ::1. */
    private InetAddress localAddress() throws IOException {
        return host.indexOf(':') >= 0 ? InetAddress.getByName("::1") : InetAddress.getLoopbackAddress();
    }

    private Long udpConnect(DatagramSocket socket, int tx) throws IOException {
        byte[] reply = exchange(socket, TrackerRequests.udpConnect(tx));
        if (reply == null) {
            return null;
        }
        ByteBuffer r = ByteBuffer.wrap(reply);
        if (reply.length != 16 || r.getInt() != 0 || r.getInt() != tx) {
            throw new AssertionError("bad connect reply of " + reply.length + " bytes");
        }
        return r.getLong();
    }

    private byte[] exchange(DatagramSocket socket, byte[] request) throws IOException {
        InetAddress tracker = InetAddress.getByName(host);
        socket.send(new DatagramPacket(request, request.length, tracker, port));
        byte[] in = new byte[2048];
        DatagramPacket reply = new DatagramPacket(in, in.length);
        try {
            socket.receive(reply);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return java.util.Arrays.copyOf(in, reply.getLength());
    }
}
