package io.shoal.tracker.server;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Fixed-window rate limit per client address, for expensive requests (full scrape). Memory is bounded:
 * at most {@code maxClients} addresses are tracked; when the table is full, windows that have ended are
 * swept, and if it is still full new clients are refused (failing closed protects what the limit is for).
 * IPv6 clients are counted per /64, the block one subscriber usually gets, so that rotating addresses
 * inside it does not multiply the allowance.
 */
public final class ClientRateLimiter {

    record ClientKey(long hi, long lo) {
    }

    private static final class Window {
        long startNanos;
        int used;

        Window(long startNanos) {
            this.startNanos = startNanos;
        }
    }

    private final int permits;
    private final long periodNanos;
    private final int maxClients;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<ClientKey, Window> windows = new ConcurrentHashMap<>();

    public ClientRateLimiter(RateLimit rate, int maxClients, LongSupplier nanoClock) {
        this.permits = rate.permits();
        this.periodNanos = rate.period().toNanos();
        this.maxClients = maxClients;
        this.nanoClock = nanoClock;
    }

    public ClientRateLimiter(RateLimit rate, int maxClients) {
        this(rate, maxClients, System::nanoTime);
    }

    /** Takes one permit for the client at {@code ip} (normalised, 4 or 16 bytes); false when it has none left. */
    public boolean tryAcquire(byte[] ip) {
        ClientKey key = keyOf(ip);
        long now = nanoClock.getAsLong();
        Window w = windows.get(key);
        if (w == null) {
            if (windows.size() >= maxClients) {
                sweep(now);
                if (windows.size() >= maxClients) {
                    return false;
                }
            }
            w = windows.computeIfAbsent(key, k -> new Window(now));
        }
        synchronized (w) {
            if (now - w.startNanos >= periodNanos) {
                w.startNanos = now;
                w.used = 0;
            }
            if (w.used >= permits) {
                return false;
            }
            w.used++;
            return true;
        }
    }

    /** Number of clients currently tracked. */
    public int trackedClients() {
        return windows.size();
    }

    private void sweep(long now) {
        for (Iterator<Window> it = windows.values().iterator(); it.hasNext(); ) {
            Window w = it.next();
            synchronized (w) {
                if (now - w.startNanos >= periodNanos) {
                    it.remove();
                }
            }
        }
    }

    /** The client an address belongs to: an IPv4 address, or an IPv6 /64. */
    static ClientKey keyOf(byte[] ip) {
        if (ip.length == 4) {
            long v4 = ((ip[0] & 0xFFL) << 24) | ((ip[1] & 0xFFL) << 16) | ((ip[2] & 0xFFL) << 8) | (ip[3] & 0xFFL);
            // Bit 32 set keeps IPv4 keys apart from the IPv6 prefix ::/64.
            return new ClientKey(0, (1L << 32) | v4);
        }
        long hi = 0;
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | (ip[i] & 0xFFL);
        }
        return new ClientKey(hi, 0);
    }
}
