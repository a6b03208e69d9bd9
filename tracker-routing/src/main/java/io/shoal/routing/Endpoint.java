package io.shoal.routing;

import java.util.Locale;

/**
 * Where a shard is reached: {@code host:port}, the host a DNS name, an IPv4 literal or a bracketed IPv6
 * literal ({@code [::1]:6970}). Parsing is pure (no DNS) so that a routing document can be checked
 * anywhere; a name may later resolve to several addresses, one per replica of the shard.
 */
public record Endpoint(String host, int port) {

    /** Longest accepted text: a 253-character DNS name, a colon and five digits. */
    public static final int MAX_LENGTH = 253 + 1 + 5;

    public Endpoint {
        if (host == null || !(isHostName(host) || isIpv4(host) || isIpv6(host))) {
            throw new IllegalArgumentException("bad endpoint host " + quote(host));
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("endpoint port must be 1..65535, not " + port);
        }
    }

    /**
     * Parses {@code host:port}. The host keeps its spelling (no lower-casing), so that a document written
     * back out reads as its author wrote it.
     */
    public static Endpoint parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("endpoint is missing");
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("endpoint longer than " + MAX_LENGTH + " characters");
        }
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("endpoint " + quote(text) + " is not [IPv6]:port");
            }
            host = text.substring(1, close);
            if (!isIpv6(host)) {
                throw new IllegalArgumentException("bad IPv6 literal in endpoint " + quote(text));
            }
            port = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("endpoint " + quote(text) + " has no :port");
            }
            host = text.substring(0, colon);
            if (host.indexOf(':') >= 0) {
                throw new IllegalArgumentException("IPv6 endpoint " + quote(text) + " needs brackets: [addr]:port");
            }
            port = text.substring(colon + 1);
        }
        return new Endpoint(host, parsePort(port, text));
    }

    /** Whether {@code text} is a valid endpoint, without saying why not. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public boolean isIpv6Literal() {
        return host.indexOf(':') >= 0;
    }

    /** The {@code host:port} form, with brackets around an IPv6 literal. */
    @Override
    public String toString() {
        return (isIpv6Literal() ? "[" + host + "]" : host) + ":" + port;
    }

    private static int parsePort(String digits, String whole) {
        if (digits.isEmpty() || digits.length() > 5) {
            throw new IllegalArgumentException("bad port in endpoint " + quote(whole));
        }
        int port = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("bad port in endpoint " + quote(whole));
            }
            port = port * 10 + (c - '0');
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("endpoint port must be 1..65535 in " + quote(whole));
        }
        return port;
    }

    /**
     * RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens, each 1..63 long, at
     * most 253 in all, one trailing dot allowed. All-numeric names are left to the IPv4 check, so that
     * {@code 999.1.1.1} is refused rather than taken for a name.
     */
    static boolean isHostName(String host) {
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        boolean sawLetter = false;
        int labelStart = 0;
        for (int i = 0; i <= name.length(); i++) {
            if (i == name.length() || name.charAt(i) == '.') {
                int len = i - labelStart;
                if (len < 1 || len > 63 || name.charAt(labelStart) == '-' || name.charAt(i - 1) == '-') {
                    return false;
                }
                labelStart = i + 1;
                continue;
            }
            char c = Character.toLowerCase(name.charAt(i));
            if (c >= 'a' && c <= 'z') {
                sawLetter = true;
            } else if (!(c >= '0' && c <= '9') && c != '-') {
                return false;
            }
        }
        return sawLetter;
    }

    /** Dotted quad, each part 0..255 in plain decimal without leading zeros (which some readers take for octal). */
    static boolean isIpv4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
                return false;
            }
            for (int i = 0; i < p.length(); i++) {
                if (p.charAt(i) < '0' || p.charAt(i) > '9') {
                    return false;
                }
            }
            if (Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    /**
     * RFC 4291 text form: eight groups of 1..4 hex digits, one {@code ::} standing for one or more zero
     * groups, optionally an IPv4 dotted quad as the last 32 bits. Zone ids are refused: they mean nothing
     * off the machine that wrote them.
     */
    static boolean isIpv6(String host) {
        if (host.length() < 2 || host.length() > 45) {
            return false;
        }
        String text = host.toLowerCase(Locale.ROOT);
        int doubleColon = text.indexOf("::");
        if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
            return false;
        }
        int groups = 0;
        String head = doubleColon >= 0 ? text.substring(0, doubleColon) : text;
        String tail = doubleColon >= 0 ? text.substring(doubleColon + 2) : "";
        for (int side = 0; side < 2; side++) {
            String part = side == 0 ? head : tail;
            if (part.isEmpty()) {
                continue;
            }
            // Only the very last field of the address may be a dotted quad.
            boolean endsAddress = side == 1 || doubleColon < 0;
            String[] fields = part.split(":", -1);
            for (int i = 0; i < fields.length; i++) {
                String f = fields[i];
                boolean last = endsAddress && i == fields.length - 1;
                if (last && f.indexOf('.') >= 0) {
                    if (!isIpv4(f)) {
                        return false;
                    }
                    groups += 2;
                } else if (isHexGroup(f)) {
                    groups++;
                } else {
                    return false;
                }
            }
        }
        return doubleColon >= 0 ? groups <= 7 : groups == 8;
    }

    private static boolean isHexGroup(String f) {
        if (f.isEmpty() || f.length() > 4) {
            return false;
        }
        for (int i = 0; i < f.length(); i++) {
            char c = f.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static String quote(String s) {
        if (s == null) {
            return "null";
        }
        return "'" + (s.length() > 80 ? s.substring(0, 80) + "…" : s) + "'";
    }
}
