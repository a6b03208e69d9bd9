package io.shoal.tracker.protocol;

/** The event a client reports with an announce. UDP codes are BEP 15's; {@code PAUSED} is BEP 21's HTTP-only event. */
public enum AnnounceEvent {
    NONE(0),
    COMPLETED(1),
    STARTED(2),
    STOPPED(3),
    PAUSED(-1);

    private final int udpCode;

    AnnounceEvent(int udpCode) {
        this.udpCode = udpCode;
    }

    public int udpCode() {
        return udpCode;
    }

    /** Returns the event for a BEP 15 code, or null when the code is not one. */
    public static AnnounceEvent fromUdpCode(int code) {
        return switch (code) {
            case 0 -> NONE;
            case 1 -> COMPLETED;
            case 2 -> STARTED;
            case 3 -> STOPPED;
            default -> null;
        };
    }

    /** Returns the event for an HTTP {@code event=} value (absent or empty is NONE), or null when unknown. */
    public static AnnounceEvent fromHttpValue(String value) {
        if (value == null || value.isEmpty()) {
            return NONE;
        }
        return switch (value) {
            case "started" -> STARTED;
            case "stopped" -> STOPPED;
            case "completed" -> COMPLETED;
            case "paused" -> PAUSED;
            case "empty" -> NONE;
            default -> null;
        };
    }
}
