package io.drplane.backupscheduler.schedule;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One scheduled run of a backup rule: when it was due, until when it may start (its start window) and until when it
 * must complete (its completion window), both counted from the scheduled time as AWS Backup counts them.
 */
public record Occurrence(String group, String rule, Instant scheduledFor, Instant startBy, Instant completeBy) {

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECONDS_STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /**
     * The idempotency key of the run: the same for every instance and every retry, so a restarted owner that
     * re-issues a create finds the snapshot it made before (AWS names allow letters, digits and hyphens).
     */
    public String name() {
        // seconds only when there are some: a compressed clock (TimeScale) can schedule runs within one minute
        String stamp = scheduledFor.getEpochSecond() % 60 == 0
                ? STAMP.format(scheduledFor)
                : SECONDS_STAMP.format(scheduledFor);
        return "drplane-" + group + "-" + rule + "-" + stamp;
    }

    /** Whether it may still start at {@code now}. */
    public boolean startableAt(Instant now) {
        return !now.isBefore(scheduledFor) && now.isBefore(startBy);
    }
}
