package io.drplane.events;

import java.time.Instant;

/** A (target, vantage point) circuit breaker changed state. */
public record BreakerTransitioned(
        String group,
        String region,
        String target,
        String vantage,
        BreakerState from,
        BreakerState to,
        Instant at,
        Reason reason)
        implements GroupEvent {}
