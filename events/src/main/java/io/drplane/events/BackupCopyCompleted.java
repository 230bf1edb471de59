package io.drplane.events;

import java.time.Instant;

/**
 * A recovery point was copied to another region's vault.
 *
 * @param sourceCreatedAt when the source recovery point was taken: the copy's data time, which its age (the RPO) counts
 *                        from
 */
public record BackupCopyCompleted(
        String group,
        String rule,
        String sourceRegion,
        String destinationRegion,
        String copyJobId,
        String destinationRecoveryPointArn,
        Instant sourceCreatedAt,
        Instant completedAt)
        implements GroupEvent {}
