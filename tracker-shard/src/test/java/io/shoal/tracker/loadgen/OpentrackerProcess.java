package io.shoal.tracker.loadgen;

import io.shoal.tracker.testing.LoopbackPorts;
import io.shoal.tracker.testing.Processes;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real Debian opentracker on free loopback ports. Debian builds it with a whitelist, so the torrents must be
 * listed up front. The process runs in (and, as root, chroots to) its own directory.
 */
final class OpentrackerProcess implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/opentracker");
    private static final int START_ATTEMPTS = 3;

    private final Process process;
    private final int udpPort;
    private final int tcpPort;
    private final Path log;

    private OpentrackerProcess(Process process, int udpPort, int tcpPort, Path log) {
        this.process = process;
        this.udpPort = udpPort;
        this.tcpPort = tcpPort;
        this.log = log;
    }

    /** Starts opentracker accepting exactly the given hex infohashes (one a line). */
    static OpentrackerProcess start(Path workDir, String whitelist) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: install Debian's opentracker package "
                    + "(apt-get install opentracker); the load generator is validated against it");
        }
        Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(workDir.resolve("whitelist"), whitelist);
        Path log = workDir.resolve("opentracker.log");
        IOException last = null;
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            int udp = LoopbackPorts.freeUdp();
            int tcp = LoopbackPorts.freeTcp();
            Process p = new ProcessBuilder(BINARY.toString(), "-i", "127.0.0.1", "-p", Integer.toString(tcp),
                    "-P", Integer.toString(udp), "-w", "whitelist", "-d", workDir.toString())
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            OpentrackerProcess tracker = new OpentrackerProcess(p, udp, tcp, log);
            if (tracker.awaitAnswering(10_000)) {
                return tracker;
            }
            tracker.close();
            last = new IOException("opentracker did not answer on udp " + udp + ": " + Files.readString(log));
        }
        throw last;
    }

    int udpPort() {
        return udpPort;
    }

    /** Its HTTP tracker port. */
    int tcpPort() {
        return tcpPort;
    }

    long pid() {
        return process.pid();
    }

    /** Waits until a BEP 15 connect is answered (opentracker loads its whitelist asynchronously, too). */
    private boolean awaitAnswering(long millis) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(200);
            byte[] request = ByteBuffer.allocate(16).putLong(0x41727101980L).putInt(0).putInt(42).array();
            while (System.nanoTime() < deadline && process.isAlive()) {
                socket.send(new DatagramPacket(request, 16, InetAddress.getLoopbackAddress(), udpPort));
                try {
                    DatagramPacket reply = new DatagramPacket(new byte[64], 64);
                    socket.receive(reply);
                    if (reply.getLength() == 16) {
                        Thread.sleep(300); // let the whitelist loader finish
                        return true;
                    }
                } catch (SocketTimeoutException e) {
                    Thread.sleep(50);
                } catch (java.net.PortUnreachableException e) {
                    Thread.sleep(50);
                }
            }
        }
        return false;
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws InterruptedException {
        Processes.stop(process, Duration.ofSeconds(5));
    }
}
