package io.drplane.coordinator.breaker;

import io.drplane.events.BreakerState;
import java.util.Arrays;
import java.util.Optional;

/** The legal moves of a (target, vantage point) breaker. Anything else is an {@link IllegalBreakerTransitionException}. */
public enum BreakerTransition {
    CLOSED_TO_OPEN(BreakerState.CLOSED, BreakerState.OPEN),
    OPEN_TO_HALF_OPEN(BreakerState.OPEN, BreakerState.HALF_OPEN),
    HALF_OPEN_TO_CLOSED(BreakerState.HALF_OPEN, BreakerState.CLOSED),
    HALF_OPEN_TO_OPEN(BreakerState.HALF_OPEN, BreakerState.OPEN);

    private final BreakerState from;
    private final BreakerState to;

    BreakerTransition(BreakerState from, BreakerState to) {
        this.from = from;
        this.to = to;
    }

    public BreakerState from() {
        return from;
    }

    public BreakerState to() {
        return to;
    }

    public static BreakerTransition of(BreakerState from, BreakerState to) {
        return find(from, to).orElseThrow(() -> new IllegalBreakerTransitionException(from, to));
    }

    public static Optional<BreakerTransition> find(BreakerState from, BreakerState to) {
        return Arrays.stream(values()).filter(t -> t.from == from && t.to == to).findFirst();
    }
}
