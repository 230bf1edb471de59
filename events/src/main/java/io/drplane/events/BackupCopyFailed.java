package io.drplane.events;

import java.time.Instant;

/** A copy of a recovery point to another region failed: that region's restore options are going stale. */
public record BackupCopyFailed(
        String group,
        String rule,
        String sourceRegion,
        String destinationRegion,
        String copyJobId,
        String errorCode,
        String message,
        Instant failedAt)
        implements GroupEvent {}
