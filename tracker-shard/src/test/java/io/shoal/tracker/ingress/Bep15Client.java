package io.shoal.tracker.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.tracker.testing.TrackerRequests;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/** A BEP 15 client on a plain socket on 127.0.0.1. */
final class Bep15Client implements AutoCloseable {
    final DatagramSocket socket;
    private final InetSocketAddress server;

    Bep15Client(InetSocketAddress server) throws IOException {
        this.server = server;
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    int port() {
        return socket.getLocalPort();
    }

    void send(byte[] d) throws IOException {
        socket.send(new DatagramPacket(d, d.length, server));
    }

    Optional<ByteBuffer> receive(Duration wait) throws IOException {
        socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
        byte[] buf = new byte[4096];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            socket.receive(p);
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        }
        assertThat(p.getSocketAddress()).as("replies come from the public port").isEqualTo(server);
        return Optional.of(ByteBuffer.wrap(Arrays.copyOf(buf, p.getLength())));
    }

    ByteBuffer roundTrip(byte[] d) throws IOException {
        send(d);
        return receive(Duration.ofSeconds(5)).orElseThrow(() -> new AssertionError("no reply"));
    }

    long connect() throws IOException {
        int tx = ThreadLocalRandom.current().nextInt();
        ByteBuffer r = roundTrip(TrackerRequests.udpConnect(tx));
        assertThat(r.getInt()).isZero();
        assertThat(r.getInt()).isEqualTo(tx);
        return r.getLong();
    }

    static byte[] announce(long id, int tx, byte[] hash, byte[] peerId, long left, int event, int port) {
        return TrackerRequests.udpAnnounce(id, tx, hash, peerId, left, event, 7, 50, port);
    }

    static byte[] scrape(long id, int tx, List<byte[]> hashes) {
        ByteBuffer b = ByteBuffer.allocate(16 + 20 * hashes.size()).putLong(id).putInt(2).putInt(tx);
        hashes.forEach(b::put);
        return b.array();
    }

    /** Announce reply: interval, leechers, seeders, then peers. Fails on an error reply. */
    ByteBuffer announce(long id, byte[] hash, byte[] peerId, long left, int event, int port) throws IOException {
        int tx = ThreadLocalRandom.current().nextInt();
        ByteBuffer r = roundTrip(announce(id, tx, hash, peerId, left, event, port));
        int action = r.getInt();
        assertThat(r.getInt()).isEqualTo(tx);
        if (action == 3) {
            throw new AssertionError("error: " + StandardCharsets.US_ASCII.decode(r));
        }
        assertThat(action).isEqualTo(1);
        return r;
    }

    static String error(ByteBuffer r, int tx) {
        assertThat(r.getInt()).as("action").isEqualTo(3);
        assertThat(r.getInt()).isEqualTo(tx);
        return StandardCharsets.US_ASCII.decode(r).toString();
    }

    @Override
    public void close() {
        socket.close();
    }
}
