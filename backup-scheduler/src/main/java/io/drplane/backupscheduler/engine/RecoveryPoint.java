package io.drplane.backupscheduler.engine;

import jakarta.annotation.Nullable;
import java.time.Instant;

/**
 * A recovery point drplane made, as the AWS inventory shows it (its tags say whose it is).
 *
 * @param dataTime    when its data was taken: its own creation, or for a copy its source's
 * @param usable      it completed and can be restored
 * @param deleteAfter when drplane deletes it (the native services never expire a snapshot by themselves)
 */
public record RecoveryPoint(
        String id,
        String region,
        ResourceArn.Kind kind,
        String group,
        String rule,
        String name,
        Instant dataTime,
        boolean usable,
        @Nullable Instant deleteAfter) {}
