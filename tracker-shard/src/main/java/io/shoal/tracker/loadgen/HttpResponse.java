package io.shoal.tracker.loadgen;

import java.nio.charset.StandardCharsets;

/**
 * Frames one HTTP/1.x response in a receive buffer: status line, the two headers a client needs (Content-Length,
 * Connection) and the body's place. Pure, so every framing rule is unit-tested without a socket.
 */
final class HttpResponse {
    static final int MAX_HEADER_BYTES = 8192;
    static final int NEED_MORE = -1;
    static final int MALFORMED = -2;

    int status;
    int bodyStart;
    /** -1 when the response has no Content-Length (it then ends when the server closes). */
    int contentLength;
    boolean close;

    /**
     * Parses the head of the response in {@code data[0..length)}.
     *
     * @return the length of the whole response when complete, {@link #NEED_MORE} or {@link #MALFORMED}
     */
    int parse(byte[] data, int length, boolean atEof) {
        int end = headEnd(data, Math.min(length, MAX_HEADER_BYTES));
        if (end < 0) {
            return length >= MAX_HEADER_BYTES || atEof ? MALFORMED : NEED_MORE;
        }
        String head = new String(data, 0, end, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
            return MALFORMED;
        }
        try {
            status = Integer.parseInt(statusLine[1]);
        } catch (NumberFormatException e) {
            return MALFORMED;
        }
        contentLength = -1;
        close = statusLine[0].equals("HTTP/1.0");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                return MALFORMED;
            }
            String name = lines[i].substring(0, colon).trim();
            String value = lines[i].substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                try {
                    contentLength = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    return MALFORMED;
                }
                if (contentLength < 0) {
                    return MALFORMED;
                }
            } else if (name.equalsIgnoreCase("Connection")) {
                close = value.equalsIgnoreCase("close") || (close && !value.equalsIgnoreCase("keep-alive"));
            }
        }
        bodyStart = end + 4;
        if (contentLength < 0) {
            close = true;
            return atEof ? length : NEED_MORE;
        }
        long total = (long) bodyStart + contentLength;
        return length >= total ? (int) total : NEED_MORE;
    }

    private static int headEnd(byte[] data, int length) {
        for (int i = 0; i + 3 < length; i++) {
            if (data[i] == '\r' && data[i + 1] == '\n' && data[i + 2] == '\r' && data[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
