package io.shoal.tracker.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.tracker.protocol.AnnounceEvent;
import io.shoal.tracker.testing.TrackerRequests;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/** A BEP 15 client on a plain {@link DatagramSocket}, bound to the loopback address of the server's family. */
final class UdpTestClient implements AutoCloseable {
    private final DatagramSocket socket;
    private final InetSocketAddress server;

    UdpTestClient(InetSocketAddress server) throws IOException {
        this.server = server;
        this.socket = new DatagramSocket(new InetSocketAddress(server.getAddress(), 0));
    }

    int localPort() {
        return socket.getLocalPort();
    }

    void send(byte[] datagram) throws IOException {
        socket.send(new DatagramPacket(datagram, datagram.length, server));
    }

    /** The next datagram, or empty when none arrives within {@code wait}. */
    Optional<ByteBuffer> receive(Duration wait) throws IOException {
        socket.setSoTimeout((int) wait.toMillis());
        byte[] buf = new byte[65536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            socket.receive(p);
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        }
        assertThat(p.getSocketAddress()).as("reply comes from the server's address").isEqualTo(server);
        return Optional.of(ByteBuffer.wrap(Arrays.copyOf(buf, p.getLength())));
    }

    ByteBuffer roundTrip(byte[] datagram) throws IOException {
        send(datagram);
        return receive(Duration.ofSeconds(5)).orElseThrow(() -> new AssertionError("no reply"));
    }

    long connect() throws IOException {
        int tx = ThreadLocalRandom.current().nextInt();
        ByteBuffer r = roundTrip(TrackerRequests.udpConnect(tx));
        assertThat(r.remaining()).isEqualTo(16);
        assertThat(r.getInt()).as("action").isZero();
        assertThat(r.getInt()).as("transaction id").isEqualTo(tx);
        return r.getLong();
    }

    static byte[] announce(long connectionId, int tx, byte[] infoHash, byte[] peerId, long left, AnnounceEvent event,
                           int numwant, int port) {
        return TrackerRequests.udpAnnounce(connectionId, tx, infoHash, peerId, left, event.udpCode(), 42, numwant,
                port);
    }

    static byte[] scrape(long connectionId, int tx, List<byte[]> hashes) {
        ByteBuffer b = ByteBuffer.allocate(16 + 20 * hashes.size()).putLong(connectionId).putInt(2).putInt(tx);
        hashes.forEach(b::put);
        return b.array();
    }

    /** A parsed announce reply. */
    record AnnounceReply(int interval, int leechers, int seeders, byte[] peers) {
        int peerCount(int entryBytes) {
            return peers.length / entryBytes;
        }
    }

    AnnounceReply announce(long connectionId, byte[] infoHash, byte[] peerId, long left, AnnounceEvent event,
                           int numwant, int port) throws IOException {
        int tx = ThreadLocalRandom.current().nextInt();
        ByteBuffer r = roundTrip(announce(connectionId, tx, infoHash, peerId, left, event, numwant, port));
        int action = r.getInt();
        int replyTx = r.getInt();
        assertThat(replyTx).isEqualTo(tx);
        if (action == 3) {
            throw new AssertionError("error reply: " + new String(r.array(), 8, r.remaining()));
        }
        assertThat(action).isEqualTo(1);
        int interval = r.getInt();
        int leechers = r.getInt();
        int seeders = r.getInt();
        byte[] peers = new byte[r.remaining()];
        r.get(peers);
        return new AnnounceReply(interval, leechers, seeders, peers);
    }

    /** The error text of an action-3 reply with the given transaction id. */
    static String errorText(ByteBuffer r, int tx) {
        assertThat(r.getInt()).as("action").isEqualTo(3);
        assertThat(r.getInt()).as("transaction id").isEqualTo(tx);
        byte[] text = new byte[r.remaining()];
        r.get(text);
        return new String(text, java.nio.charset.StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        socket.close();
    }
}
