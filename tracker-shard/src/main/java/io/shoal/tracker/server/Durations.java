package io.shoal.tracker.server;

import java.time.Duration;
import java.util.Locale;

/** Parses and prints the durations of the command line and the config: plain seconds or with a unit (500ms, 30s, 5m, 2h, 1d). */
public final class Durations {
    private Durations() {
    }

    /** Throws IllegalArgumentException with a message fit for a command-line user. */
    public static Duration parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        int unitStart = 0;
        while (unitStart < s.length() && Character.isDigit(s.charAt(unitStart))) {
            unitStart++;
        }
        if (unitStart == 0 || unitStart > 12) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (use seconds, or e.g. 500ms, 30s, 5m, 2h)");
        }
        long amount = Long.parseLong(s.substring(0, unitStart));
        String unit = s.substring(unitStart);
        return switch (unit) {
            case "", "s" -> Duration.ofSeconds(amount);
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> throw new IllegalArgumentException(
                    "'" + text + "' has an unknown unit '" + unit + "' (use ms, s, m, h or d)");
        };
    }

    /** The shortest exact form, e.g. 7d, 30m, 45s, 1500ms. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s != 0 && s % 86400 == 0) {
            return s / 86400 + "d";
        }
        if (s != 0 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s != 0 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }

    /** Parses {@code N/DURATION}, e.g. {@code 1/10s} or {@code 5/1m}. */
    public static RateLimit parseRate(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not a rate (use N/DURATION, e.g. 1/10s)");
        }
        int permits;
        try {
            permits = Integer.parseInt(text.substring(0, slash).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a rate (use N/DURATION, e.g. 1/10s)");
        }
        return new RateLimit(permits, parse(text.substring(slash + 1)));
    }
}
