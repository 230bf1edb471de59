package io.drplane.coordinator.breaker;

import io.drplane.events.BreakerState;

/** A breaker was asked to move between two states that have no legal transition. */
public class IllegalBreakerTransitionException extends IllegalStateException {
    public IllegalBreakerTransitionException(BreakerState from, BreakerState to) {
        super("a breaker cannot go from " + from + " to " + to
                + "; legal: CLOSED->OPEN, OPEN->HALF_OPEN, HALF_OPEN->CLOSED, HALF_OPEN->OPEN");
    }
}
