package io.drplane.events;

import jakarta.annotation.Nullable;
import java.time.Instant;

/**
 * Re-protect finished: the new primary replicates into the old primary's region, with the lag measured on the new
 * link within the RPO and DNS roles right. {@code timeToReprotectMillis} counts from the old region being UP by
 * quorum (or, if it never went down, from the failover's completion).
 */
public record GroupReprotected(
        String group,
        String reprotectId,
        String failoverId,
        String primary,
        String replicaRegion,
        String link,
        long timeToReprotectMillis,
        @Nullable Long lagMillis,
        Instant at,
        Reason reason,
        Evidence evidence)
        implements GroupEvent {}
