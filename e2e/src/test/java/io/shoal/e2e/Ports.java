package io.shoal.e2e;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free loopback port numbers, so tests never collide with each other or with other people's tests. */
final class Ports {
    private static final int ATTEMPTS = 50;

    private Ports() {
    }

    /** A port number free for both TCP and UDP on 127.0.0.1 (a tracker serves both on one number). */
    static int freeTcpAndUdp() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int i = 0; i < ATTEMPTS; i++) {
            int port;
            try (ServerSocket tcp = new ServerSocket(0, 1, loopback)) {
                port = tcp.getLocalPort();
            }
            try (DatagramSocket udp = new DatagramSocket(port, loopback)) {
                return port;
            } catch (IOException taken) {
                // UDP side in use: try another number
            }
        }
        throw new IOException("no port free for both TCP and UDP after " + ATTEMPTS + " attempts");
    }

    static int freeTcp() throws IOException {
        try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return tcp.getLocalPort();
        }
    }
}
