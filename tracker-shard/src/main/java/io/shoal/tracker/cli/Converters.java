package io.shoal.tracker.cli;

import io.shoal.tracker.server.Durations;
import io.shoal.tracker.server.RateLimit;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Command-line value types. Errors become picocli usage errors (exit code 2) with the message shown. */
final class Converters {
    private Converters() {
    }

    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class RateConverter implements ITypeConverter<RateLimit> {
        @Override
        public RateLimit convert(String value) {
            try {
                return Durations.parseRate(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class OnOffConverter implements ITypeConverter<Boolean> {
        @Override
        public Boolean convert(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "on", "true", "yes", "1" -> true;
                case "off", "false", "no", "0" -> false;
                default -> throw new TypeConversionException("'" + value + "' is not on or off");
            };
        }
    }
}
