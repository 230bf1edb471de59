package io.drplane.plan;

import java.time.Duration;

/** Durations the way the plan file writes them: 15m, 30s, 2h, 7d, 500ms. */
public final class DurationText {

    private DurationText() {
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
