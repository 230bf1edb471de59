package io.drplane.backupscheduler.engine;

import io.drplane.plan.Lifecycle;
import java.time.Instant;

/**
 * A copy of a completed recovery point into another region's vault.
 *
 * @param sourceVault     the vault the source is in (AWS Backup copies from a vault)
 * @param sourceCreatedAt the source's creation time: the copy's data time
 */
public record CopyJob(
        String group,
        String rule,
        ResourceArn resource,
        String sourceRegion,
        String sourceVault,
        String sourcePointId,
        Instant sourceCreatedAt,
        String destinationRegion,
        String destinationVault,
        String name,
        Lifecycle lifecycle) {}
