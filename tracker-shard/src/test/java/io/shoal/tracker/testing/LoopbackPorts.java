package io.shoal.tracker.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Free port numbers on 127.0.0.1, so that tests started at the same time never collide. A number is only free when
 * asked: a process started on it later may still lose it, so callers retry a start on another number.
 */
public final class LoopbackPorts {
    private static final int ATTEMPTS = 50;

    private LoopbackPorts() {
    }

    public static int freeTcp() {
        try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return tcp.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int freeUdp() {
        try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return udp.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A number free for both TCP and UDP (a tracker serves both on one number). */
    public static int freeTcpAndUdp() {
        for (int i = 0; i < ATTEMPTS; i++) {
            int port = freeTcp();
            try (DatagramSocket udp = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // UDP side in use: try another number
            }
        }
        throw new UncheckedIOException(new IOException("no port free for both TCP and UDP after " + ATTEMPTS
                + " attempts"));
    }
}
