package io.drplane.plan;

import java.time.Duration;

/** A (target, vantage point) circuit breaker: when it opens, how long it waits, when it closes. */
public record Breaker(
        int slidingWindow,
        int failureRateThreshold,
        int consecutiveFailures,
        Duration openWait,
        int halfOpenSuccesses) {}
