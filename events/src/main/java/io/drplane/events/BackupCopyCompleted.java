package io.drplane.events;

import java.time.Instant;

/** A recovery point was copied to another region's vault. */
public record BackupCopyCompleted(
        String group,
        String rule,
        String sourceRegion,
        String destinationRegion,
        String copyJobId,
        String destinationRecoveryPointArn,
        Instant completedAt)
        implements GroupEvent {}
