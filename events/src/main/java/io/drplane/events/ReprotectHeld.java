package io.drplane.events;

import java.time.Instant;

/**
 * Re-protect after a failover cannot go on now: the old primary's region is not up yet, a person must approve it, or
 * a step failed with no retries left. {@code remedy} says what to do.
 */
public record ReprotectHeld(
        String group,
        String reprotectId,
        String failoverId,
        String oldPrimary,
        String newPrimary,
        String remedy,
        Instant at,
        Reason reason,
        Evidence evidence)
        implements GroupEvent {}
