package io.drplane.events;

import java.time.Instant;

/** A failover started; the group's epoch was incremented. */
public record FailoverStarted(
        String group,
        String failoverId,
        String fromRegion,
        String toRegion,
        FailoverKind kind,
        long epoch,
        String strategy,
        Instant at,
        Reason reason,
        Evidence evidence)
        implements GroupEvent {}
