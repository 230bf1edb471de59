package io.drplane.aws;

import java.time.Duration;

/**
 * How hard the executor tries an AWS call: attempts and exponential backoff with jitter, the per-service circuit
 * breaker, the per-service rate limit and the time limit of one attempt.
 */
public record ResilienceSettings(
        int maxAttempts,
        Duration initialBackoff,
        double backoffMultiplier,
        Duration maxBackoff,
        double jitter,
        float failureRateThreshold,
        int slidingWindowCalls,
        int minimumCalls,
        Duration openStateWait,
        int callsPerSecond,
        Duration rateLimitWait,
        Duration callTimeout) {

    public ResilienceSettings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("jitter must be in [0, 1), was " + jitter);
        }
    }

    /**
     * Production defaults: five attempts 200 ms, 400 ms, 800 ms... apart (plus or minus half), capped at 10 s; the
     * circuit opens when half of the last 10 calls (at least 5) failed and stays open 30 s; 20 calls per second per
     * service; 20 s per attempt.
     */
    public static ResilienceSettings defaults() {
        return new ResilienceSettings(
                5,
                Duration.ofMillis(200),
                2.0,
                Duration.ofSeconds(10),
                0.5,
                50f,
                10,
                5,
                Duration.ofSeconds(30),
                20,
                Duration.ofSeconds(5),
                Duration.ofSeconds(20));
    }

    /** The defaults with a service's own attempts, first backoff, per-service call rate and time per attempt. */
    public static ResilienceSettings of(
            int maxAttempts, Duration initialBackoff, int callsPerSecond, Duration callTimeout) {
        ResilienceSettings d = defaults();
        return new ResilienceSettings(
                maxAttempts,
                initialBackoff,
                d.backoffMultiplier(),
                d.maxBackoff(),
                d.jitter(),
                d.failureRateThreshold(),
                d.slidingWindowCalls(),
                d.minimumCalls(),
                d.openStateWait(),
                callsPerSecond,
                d.rateLimitWait(),
                callTimeout);
    }
}
