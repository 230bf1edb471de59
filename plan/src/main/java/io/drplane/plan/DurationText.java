package io.drplane.plan;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations the way the plan file writes them: 15m, 30s, 2h, 7d, 500ms. */
public final class DurationText {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private DurationText() {}

    /** The duration written as a number and a unit (ms, s, m, h, d), or empty when it is not written so. */
    public static Optional<Duration> parse(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        long amount = Long.parseLong(m.group(1));
        return Optional.of(
                switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                });
    }

    /** A duration as a person reads it, to the unit that matters: {@code 365 days}, {@code 1 h 0 min}, {@code 30.0 s}. */
    public static String roughly(Duration d) {
        if (d.toDays() >= 2) {
            return d.toDays() + " days";
        }
        if (d.toHours() >= 1) {
            return d.toHours() + " h " + d.toMinutesPart() + " min";
        }
        if (d.toMinutes() >= 1) {
            return d.toMinutes() + " min " + d.toSecondsPart() + " s";
        }
        return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    public static String of(Duration d) {
        long millis = d.toMillis();
        if (millis != 0 && millis % 86_400_000 == 0) {
            return d.toDays() + "d";
        }
        if (millis != 0 && millis % 3_600_000 == 0) {
            return d.toHours() + "h";
        }
        if (millis != 0 && millis % 60_000 == 0) {
            return d.toMinutes() + "m";
        }
        if (millis % 1000 == 0) {
            return d.toSeconds() + "s";
        }
        return millis + "ms";
    }
}
