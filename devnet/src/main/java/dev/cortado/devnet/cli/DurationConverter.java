package dev.cortado.devnet.cli;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads durations the way people write them: {@code 500ms}, {@code 20s}, {@code 5m}, {@code 2h}. */
public final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.endsWith("ms")) return positive(Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2))), text);
            if (t.endsWith("s")) return positive(Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1))), text);
            if (t.endsWith("m")) return positive(Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1))), text);
            if (t.endsWith("h")) return positive(Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1))), text);
            return positive(Duration.ofSeconds(Long.parseLong(t)), text);
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + text + "' is not a duration: write for example 500ms, 20s, 5m or 2h");
        }
    }

    private static Duration positive(Duration d, String text) {
        if (d.isNegative() || d.isZero()) throw new TypeConversionException("duration '" + text + "' must be positive");
        return d;
    }
}
