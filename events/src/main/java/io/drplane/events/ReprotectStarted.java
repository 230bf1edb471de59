package io.drplane.events;

import java.time.Instant;

/** Re-protect started: its steps run under {@code epoch}, in the old primary's region. */
public record ReprotectStarted(
        String group,
        String reprotectId,
        String failoverId,
        String oldPrimary,
        String newPrimary,
        long epoch,
        Instant at,
        Reason reason,
        Evidence evidence)
        implements GroupEvent {}
