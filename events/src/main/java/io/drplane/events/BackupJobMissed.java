package io.drplane.events;

import java.time.Instant;

/** A scheduled backup did not start, or did not complete, within its window. */
public record BackupJobMissed(
        String group, String rule, String region, Instant scheduledFor, Instant windowClosedAt, Reason reason)
        implements GroupEvent {}
