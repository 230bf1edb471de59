package io.drplane.events;

import java.time.Instant;

/** The coordinator's own clock, written into its input so that timeouts replay exactly. */
public record CoordinatorTicked(int partition, String instance, Instant at) implements EventData {

    /** Ticks are per coordinator input partition, not per group. */
    @Override
    public String subject() {
        return "partition-" + partition;
    }
}
