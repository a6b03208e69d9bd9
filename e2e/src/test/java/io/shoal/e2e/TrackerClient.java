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
    private final int port;

    TrackerClient(int port) {
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

    private byte[] get(String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
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
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout((int) timeout.toMillis());
            InetAddress tracker = InetAddress.getLoopbackAddress();
            int tx = ThreadLocalRandom.current().nextInt();
            socket.send(new DatagramPacket(TrackerRequests.udpConnect(tx), 16, tracker, port));
            byte[] in = new byte[2048];
            DatagramPacket reply = new DatagramPacket(in, in.length);
            try {
                socket.receive(reply);
            } catch (SocketTimeoutException e) {
                return null;
            }
            ByteBuffer r = ByteBuffer.wrap(in, 0, reply.getLength());
            if (reply.getLength() != 16 || r.getInt() != 0 || r.getInt() != tx) {
                throw new AssertionError("bad connect reply of " + reply.getLength() + " bytes");
            }
            long connectionId = r.getLong();
            byte[] announce = TrackerRequests.udpAnnounce(connectionId, tx + 1, infoHash, peerId, 100, 2, 0, 50,
                    peerPort);
            socket.send(new DatagramPacket(announce, 98, tracker, port));
            reply = new DatagramPacket(in, in.length);
            try {
                socket.receive(reply);
            } catch (SocketTimeoutException e) {
                return null;
            }
            return java.util.Arrays.copyOf(in, reply.getLength());
        }
    }
}
