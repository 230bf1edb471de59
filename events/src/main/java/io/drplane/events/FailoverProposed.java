package io.drplane.events;

import java.time.Instant;

/** The coordinator found that the group should fail over and checked the safety rules next. */
public record FailoverProposed(
        String group,
        String failoverId,
        String fromRegion,
        String toRegion,
        FailoverKind kind,
        Instant at,
        Reason reason,
        Evidence evidence)
        implements GroupEvent {}
