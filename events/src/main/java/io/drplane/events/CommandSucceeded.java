package io.drplane.events;

import java.time.Instant;
import java.util.Map;

/** A command was carried out, or its target was already in the wanted state. */
public record CommandSucceeded(
        String group,
        String commandId,
        String failoverId,
        String region,
        long epoch,
        EventType commandType,
        Instant startedAt,
        Instant finishedAt,
        long durationMillis,
        int attempts,
        boolean dryRun,
        Reason reason,
        Map<String, String> outcome)
        implements CommandResult {
    public CommandSucceeded {
        outcome = Map.copyOf(outcome);
    }
}
