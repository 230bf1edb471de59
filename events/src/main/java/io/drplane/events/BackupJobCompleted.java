package io.drplane.events;

import jakarta.annotation.Nullable;
import java.time.Instant;

/** A backup job completed and produced a recovery point. */
public record BackupJobCompleted(
        String group,
        String rule,
        String region,
        String jobId,
        String recoveryPointArn,
        @Nullable Long sizeBytes,
        Instant createdAt,
        Instant completedAt)
        implements GroupEvent {}
