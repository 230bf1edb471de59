package io.drplane.events;

import java.time.Instant;

/** A link's lag or a rule's recovery point age came back within the RPO (with hysteresis). */
public record RpoRestored(
        String group,
        RpoScope scope,
        String name,
        long rpoMillis,
        long observedMillis,
        Instant observedAt,
        Reason reason)
        implements GroupEvent {}
