package io.drplane.events;

import java.time.Instant;
import java.util.Map;

/** One step of re-protect completed; {@code details} are the executor's facts (the snapshot's name, say). */
public record ReprotectStepCompleted(
        String group,
        String reprotectId,
        long epoch,
        String step,
        String commandId,
        String region,
        long durationMillis,
        Map<String, String> details,
        Instant at,
        Reason reason)
        implements GroupEvent {

    public ReprotectStepCompleted {
        details = Map.copyOf(details);
    }
}
