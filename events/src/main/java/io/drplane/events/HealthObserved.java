package io.drplane.events;

import jakarta.annotation.Nullable;
import java.time.Instant;

/** One probe of one target in one region, seen from one vantage point. */
public record HealthObserved(
        String group,
        String region,
        String target,
        String vantage,
        ProbeSource source,
        ProbeOutcome outcome,
        @Nullable Integer statusCode,
        long latencyMillis,
        Instant observedAt,
        @Nullable String detail)
        implements GroupEvent {}
