package io.shoal.tracker.loadgen;

/**
 * How a simulated peer moves between absent, leecher and seeder, and which BEP 15 event each announce carries.
 * Proportions follow what trackers see: most announces are periodic ({@code none}), a few peers finish or leave.
 * Pure functions of the current state and a roll in [0, 100).
 */
final class PeerLifecycle {
    static final int NONE = 0;
    static final int COMPLETED = 1;
    static final int STARTED = 2;
    static final int STOPPED = 3;

    private static final int LEECHER_STOPS_BELOW = 4;
    private static final int LEECHER_COMPLETES_BELOW = 10;
    private static final int SEEDER_STOPS_BELOW = 5;
    private static final int STARTS_AS_SEEDER_BELOW = 20;

    private PeerLifecycle() {
    }

    static int nextEvent(byte state, int roll) {
        return switch (state) {
            case Workload.ABSENT -> STARTED;
            case Workload.LEECHER -> roll < LEECHER_STOPS_BELOW ? STOPPED
                    : roll < LEECHER_COMPLETES_BELOW ? COMPLETED : NONE;
            case Workload.SEEDER -> roll < SEEDER_STOPS_BELOW ? STOPPED : NONE;
            default -> throw new IllegalArgumentException("unknown peer state " + state);
        };
    }

    /** {@code roll} decides only whether a newly started peer already has the whole torrent. */
    static byte stateAfter(byte state, int event, int roll) {
        return switch (event) {
            case STARTED -> roll < STARTS_AS_SEEDER_BELOW ? Workload.SEEDER : Workload.LEECHER;
            case COMPLETED -> Workload.SEEDER;
            case STOPPED -> Workload.ABSENT;
            case NONE -> state;
            default -> throw new IllegalArgumentException("unknown event " + event);
        };
    }

    /** The {@code left} field a peer in this state reports: zero for a seeder, something positive otherwise. */
    static long leftFor(byte state, int roll) {
        return state == Workload.SEEDER ? 0 : 1L + roll * 1_048_576L;
    }
}
