package io.drplane.events;

import jakarta.annotation.Nullable;
import java.time.Instant;

/** A failover was refused by a safety rule or waits for a person; says what a person can do. */
public record FailoverHeld(
        String group,
        @Nullable String failoverId,
        String fromRegion,
        String toRegion,
        FailoverKind kind,
        String remedy,
        Instant at,
        Reason reason,
        Evidence evidence)
        implements GroupEvent {}
