package io.drplane.events;

import java.time.Instant;

/** A replication link's lag, or a backup rule's newest recovery point age, went over the RPO. */
public record RpoBreached(
        String group,
        RpoScope scope,
        String name,
        long rpoMillis,
        long observedMillis,
        Instant observedAt,
        Reason reason)
        implements GroupEvent {}
