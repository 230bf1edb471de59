package io.drplane.events;

import java.time.Instant;

/** A command was refused without being carried out (stale epoch, wrong region). */
public record CommandRejected(
        String group,
        String commandId,
        String failoverId,
        String region,
        long epoch,
        EventType commandType,
        long highestEpochSeen,
        Instant at,
        Reason reason)
        implements CommandResult {}
