package io.shoal.tracker.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A deliberately wrong tracker on a real loopback socket: it answers connects correctly but echoes every other
 * request with a transaction id it never received. The generator must call those replies invalid, count the real
 * requests as timed out, fail the run, and still stop by itself.
 */
class MisbehavingTrackerTest {

    @Test
    void repliesToRequestsNeverSentAreInvalidAndTheRunStillEnds() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Thread responder = new Thread(() -> answerWrongly(socket, running), "misbehaving-tracker");
            responder.start();
            long started = System.nanoTime();
            LoadgenRun result = LoadgenRun.of("--port",
                    Integer.toString(socket.getLocalPort()), "--seed", "3", "--clients", "10", "--torrents", "10",
                    "--peers-per-torrent", "2", "--phase", "LOAD", "--requests", "200", "--timeout", "300ms",
                    "--duration", "5s");
            running.set(false);
            socket.close();
            responder.join(5000);

            assertThat(result.code()).isEqualTo(1);
            assertThat(result.report().connect().connectsOk()).isEqualTo(10);
            assertThat(result.report().load().invalidReasons()).containsOnlyKeys("UNKNOWN_TRANSACTION");
            assertThat(result.report().load().timeouts()).isEqualTo(result.report().load().sent());
            assertThat(result.output()).contains("FAIL");
            assertThat(System.nanoTime() - started).isLessThan(30_000_000_000L);
        }
    }

    private static void answerWrongly(DatagramSocket socket, AtomicBoolean running) {
        byte[] in = new byte[2048];
        try {
            while (running.get()) {
                DatagramPacket packet = new DatagramPacket(in, in.length);
                socket.receive(packet);
                ByteBuffer request = ByteBuffer.wrap(in, 0, packet.getLength());
                int action = request.getInt(8);
                int tid = request.getInt(12);
                ByteBuffer reply = ByteBuffer.allocate(16);
                if (action == 0) {
                    reply.putInt(0).putInt(tid).putLong(0x0102030405060708L);
                } else {
                    reply = ByteBuffer.allocate(8);
                    reply.putInt(action).putInt(tid ^ 0x4000_0000);
                    if (action == 1) {
                        reply = ByteBuffer.allocate(20).putInt(1).putInt(tid ^ 0x4000_0000).putInt(1800).putInt(0)
                                .putInt(0);
                    }
                }
                socket.send(new DatagramPacket(reply.array(), reply.capacity(), packet.getSocketAddress()));
            }
        } catch (SocketException closed) {
            // the test closed the socket: done
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
