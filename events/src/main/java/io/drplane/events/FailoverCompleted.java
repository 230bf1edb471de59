package io.drplane.events;

import jakarta.annotation.Nullable;
import java.time.Instant;

/** A failover completed and the new primary was verified; carries measured RTO and RPO next to the targets. */
public record FailoverCompleted(
        String group,
        String failoverId,
        long epoch,
        String fromRegion,
        String toRegion,
        long rtoMillis,
        long rtoTargetMillis,
        @Nullable Long rpoMillis,
        long rpoTargetMillis,
        Instant at,
        Reason reason,
        Evidence evidence)
        implements GroupEvent {}
