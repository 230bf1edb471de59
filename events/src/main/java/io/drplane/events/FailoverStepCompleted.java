package io.drplane.events;

import java.time.Instant;

/** One runbook step of a failover completed. */
public record FailoverStepCompleted(
        String group,
        String failoverId,
        long epoch,
        String step,
        String commandId,
        String region,
        long durationMillis,
        Instant at,
        Reason reason)
        implements GroupEvent {}
