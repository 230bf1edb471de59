package io.drplane.events;

/** The state of one (target, vantage point) circuit breaker. */
public enum BreakerState {
    CLOSED,
    OPEN,
    HALF_OPEN
}
