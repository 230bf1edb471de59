package io.drplane.events;

import java.time.Instant;

/** A failover failed at a step; it is not retried automatically. */
public record FailoverFailed(
        String group, String failoverId, long epoch, String failedStep, Instant at, Reason reason, Evidence evidence)
        implements GroupEvent {}
