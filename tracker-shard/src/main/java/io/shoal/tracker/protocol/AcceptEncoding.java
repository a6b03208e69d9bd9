package io.shoal.tracker.protocol;

/**
 * Reads an {@code Accept-Encoding} header (RFC 9110, section 12.5.3) to choose between gzip and no coding. Weights
 * ({@code q}, 0 to 1 with up to three decimals) count: {@code q=0} refuses a coding; {@code *} stands for every
 * coding not listed, identity included. Gzip is chosen when acceptable and not outweighed by a weight stated for
 * identity (directly or through {@code *}). An element with a malformed weight is ignored.
 */
public final class AcceptEncoding {
    private static final int UNLISTED = -1;
    private static final int FULL_WEIGHT = 1000;

    private AcceptEncoding() {
    }

    /**
     * True when gzip is acceptable and weighted at least as high as no coding (on a tie the smaller body wins). An
     * absent or empty header gives false: clients that want compression say so.
     */
    public static boolean prefersGzip(CharSequence header) {
        if (header == null) {
            return false;
        }
        int gzip = UNLISTED;
        int identity = UNLISTED;
        int any = UNLISTED;
        int len = header.length();
        int start = 0;
        while (start < len) {
            int end = indexOf(header, ',', start, len);
            int semicolon = indexOf(header, ';', start, end);
            int weight = weight(header, semicolon, end);
            if (weight != UNLISTED) {
                if (is(header, start, semicolon, "gzip") || is(header, start, semicolon, "x-gzip")) {
                    gzip = Math.max(gzip, weight);
                } else if (is(header, start, semicolon, "identity")) {
                    identity = Math.max(identity, weight);
                } else if (is(header, start, semicolon, "*")) {
                    any = Math.max(any, weight);
                }
            }
            start = end + 1;
        }
        int gzipWeight = gzip != UNLISTED ? gzip : any != UNLISTED ? any : 0;
        // Identity is always acceptable (an unwanted one is served anyway), but only a stated weight can outrank gzip.
        int identityWeight = identity != UNLISTED ? identity : any != UNLISTED ? any : 0;
        return gzipWeight > 0 && gzipWeight >= identityWeight;
    }

    /** The weight in thousandths given by the parameters in {@code [from, to)} (from at a ';' or = to), or UNLISTED. */
    private static int weight(CharSequence s, int from, int to) {
        int weight = FULL_WEIGHT;
        int p = from;
        while (p < to) {
            int next = indexOf(s, ';', p + 1, to);
            int eq = indexOf(s, '=', p + 1, next);
            if (eq < next && is(s, p + 1, eq, "q")) {
                weight = parseWeight(s, trimStart(s, eq + 1, next), trimEnd(s, eq + 1, next));
                if (weight == UNLISTED) {
                    return UNLISTED;
                }
            }
            p = next;
        }
        return weight;
    }

    /** {@code 0}, {@code 0.5}, {@code 1.000} ... in thousandths; UNLISTED when malformed. */
    private static int parseWeight(CharSequence s, int from, int to) {
        if (from >= to || (s.charAt(from) != '0' && s.charAt(from) != '1')) {
            return UNLISTED;
        }
        int whole = s.charAt(from) - '0';
        if (from + 1 == to) {
            return whole * FULL_WEIGHT;
        }
        if (s.charAt(from + 1) != '.' || to - (from + 2) > 3) {
            return UNLISTED;
        }
        int fraction = 0;
        int scale = 100;
        for (int i = from + 2; i < to; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9 || (whole == 1 && d != 0)) {
                return UNLISTED;
            }
            fraction += d * scale;
            scale /= 10;
        }
        return whole * FULL_WEIGHT + fraction;
    }

    /** Whether {@code [from, to)}, without surrounding spaces, is {@code token} ignoring ASCII case. */
    private static boolean is(CharSequence s, int from, int to, String token) {
        int a = trimStart(s, from, to);
        int b = trimEnd(s, a, to);
        if (b - a != token.length()) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            char c = s.charAt(a + i);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            }
            if (c != token.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int trimStart(CharSequence s, int from, int to) {
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        return from;
    }

    private static int trimEnd(CharSequence s, int from, int to) {
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return to;
    }

    private static int indexOf(CharSequence s, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return to;
    }
}
