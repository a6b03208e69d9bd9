package io.shoal.tracker.ingress.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 keep-alive connection on a real socket, one request at a time, as a BitTorrent client (or the load
 * generator) uses it. Bounded: headers up to 8 KiB, bodies up to 1 MiB, every read within the socket timeout.
 */
final class KeepAliveClient implements AutoCloseable {
    private static final int MAX_HEADER_BYTES = 8192;
    private static final int MAX_BODY_BYTES = 1 << 20;

    record Answer(int status, boolean keepAlive, byte[] body) {
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    KeepAliveClient(InetSocketAddress server, int timeoutMillis) throws IOException {
        socket = new Socket();
        socket.connect(server, timeoutMillis);
        socket.setSoTimeout(timeoutMillis);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    Answer get(String pathAndQuery) throws IOException {
        out.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: tracker\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        String head = readHead();
        String[] lines = head.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        int length = -1;
        boolean keepAlive = true;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            String name = lines[i].substring(0, colon).trim();
            String value = lines[i].substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Integer.parseInt(value);
            } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
                keepAlive = false;
            }
        }
        if (length < 0 || length > MAX_BODY_BYTES) {
            throw new IOException("no usable Content-Length in " + head);
        }
        return new Answer(status, keepAlive, in.readNBytes(length));
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before an answer");
            }
            head.write(b);
            matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > MAX_HEADER_BYTES) {
                throw new IOException("answer head too long");
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
