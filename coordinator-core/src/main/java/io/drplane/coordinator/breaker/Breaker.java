package io.drplane.coordinator.breaker;

import io.drplane.events.BreakerState;
import io.drplane.events.Reason;
import io.drplane.events.ReasonCode;
import io.drplane.plan.FailoverPolicy;
import jakarta.annotation.Nullable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One (target, vantage point) circuit breaker over a sliding window of probe results, immutable. CLOSED opens on
 * {@code consecutiveFailures} failures in a row (as ALB and Route 53 do) or when the window is full and its failure
 * rate reaches {@code failureRateThreshold}%; OPEN ignores results until {@code openWait} has passed, then goes
 * HALF_OPEN; HALF_OPEN closes after {@code halfOpenSuccesses} successes and opens again on one failure.
 *
 * @param window the last results, newest in the lowest bit ({@code 1} = failure), at most 64
 * @param size   how many results the window holds
 */
public record Breaker(
        BreakerState state,
        long window,
        int size,
        int consecutiveFailures,
        int halfOpenSuccesses,
        @Nullable Instant openedAt) {

    /** One legal move and why it happened. */
    public record Transitioned(BreakerTransition transition, Reason reason) {}

    /** The breaker after an input, and the moves it made (none, one, or two when a wait elapsed first). */
    public record Moved(Breaker breaker, List<Transitioned> transitions) {
        static Moved stay(Breaker breaker) {
            return new Moved(breaker, List.of());
        }
    }

    public static final int MAX_WINDOW = 64;

    public static Breaker closed(Instant at) {
        return new Breaker(BreakerState.CLOSED, 0, 0, 0, 0, null);
    }

    /** Records one probe result at {@code at}. */
    public Moved record(boolean failure, Instant at, FailoverPolicy policy) {
        var settings = policy.breaker();
        int windowSize = Math.min(MAX_WINDOW, settings.slidingWindow());
        return switch (state) {
            case CLOSED -> {
                long newWindow = ((window << 1) | (failure ? 1 : 0)) & mask(windowSize);
                int newSize = Math.min(windowSize, size + 1);
                int consecutive = failure ? consecutiveFailures + 1 : 0;
                if (newWindow == window
                        && newSize == size
                        && consecutive == consecutiveFailures
                        && consecutive < settings.consecutiveFailures()
                        && (newSize < windowSize
                                || Long.bitCount(newWindow) * 100 < settings.failureRateThreshold() * newSize)) {
                    // Unchanged (a full window of successes, typically): the same breaker, not an equal copy. Copies of
                    // every healthy target's breaker, kept until its next probe seconds later, were a large part of
                    // what the young collections copied.
                    yield Moved.stay(this);
                }
                Breaker next = new Breaker(BreakerState.CLOSED, newWindow, newSize, consecutive, 0, null);
                if (consecutive >= settings.consecutiveFailures()) {
                    yield open(
                            next,
                            at,
                            Reason.of(
                                    ReasonCode.BREAKER_CONSECUTIVE_FAILURES,
                                    consecutive + " consecutive probe failures reached the limit of "
                                            + settings.consecutiveFailures() + "."));
                }
                int failures = Long.bitCount(newWindow);
                if (newSize >= windowSize && failures * 100 >= settings.failureRateThreshold() * newSize) {
                    yield open(
                            next,
                            at,
                            Reason.of(
                                    ReasonCode.BREAKER_FAILURE_RATE,
                                    failures + " of the last " + newSize + " probes failed, at or over the "
                                            + settings.failureRateThreshold() + "% threshold."));
                }
                yield Moved.stay(next);
            }
            case OPEN -> {
                Moved waited = tick(at, policy);
                if (waited.transitions().isEmpty()) {
                    yield Moved.stay(this); // results while open do not count
                }
                Moved then = waited.breaker().record(failure, at, policy);
                var all = new ArrayList<>(waited.transitions());
                all.addAll(then.transitions());
                yield new Moved(then.breaker(), List.copyOf(all));
            }
            case HALF_OPEN -> {
                if (failure) {
                    yield move(
                            BreakerState.OPEN,
                            new Breaker(BreakerState.OPEN, 0, 0, 0, 0, at),
                            Reason.of(ReasonCode.BREAKER_HALF_OPEN_PROBE_FAILED, "a probe failed while half-open."));
                }
                int successes = halfOpenSuccesses + 1;
                if (successes >= settings.halfOpenSuccesses()) {
                    yield move(
                            BreakerState.CLOSED,
                            new Breaker(BreakerState.CLOSED, 0, 0, 0, 0, null),
                            Reason.of(
                                    ReasonCode.BREAKER_PROBES_SUCCEEDED,
                                    successes + " probes succeeded while half-open."));
                }
                yield Moved.stay(new Breaker(BreakerState.HALF_OPEN, 0, 0, 0, successes, openedAt));
            }
        };
    }

    /** Lets time pass: an OPEN breaker whose wait has elapsed goes HALF_OPEN. */
    public Moved tick(Instant now, FailoverPolicy policy) {
        Duration wait = policy.breaker().openWait();
        if (state == BreakerState.OPEN && openedAt != null && !now.isBefore(openedAt.plus(wait))) {
            return move(
                    BreakerState.HALF_OPEN,
                    new Breaker(BreakerState.HALF_OPEN, 0, 0, 0, 0, openedAt),
                    Reason.of(ReasonCode.BREAKER_WAIT_ELAPSED, "open for " + wait.toSeconds() + " s; probing again."));
        }
        return Moved.stay(this);
    }

    private Moved open(Breaker from, Instant at, Reason reason) {
        return from.move(
                BreakerState.OPEN,
                new Breaker(BreakerState.OPEN, from.window, from.size, from.consecutiveFailures, 0, at),
                reason);
    }

    private Moved move(BreakerState to, Breaker next, Reason reason) {
        return new Moved(next, List.of(new Transitioned(BreakerTransition.of(state, to), reason)));
    }

    private static long mask(int bits) {
        return bits >= 64 ? -1L : (1L << bits) - 1;
    }

    /**
     * Whether {@code other} stands where this one does: the same state, run of failures, half-open successes and
     * opening time. The sliding window's older history may differ: probe results that have not moved the breaker.
     */
    public boolean sameStanding(Breaker other) {
        return other != null
                && state == other.state
                && consecutiveFailures == other.consecutiveFailures
                && halfOpenSuccesses == other.halfOpenSuccesses
                && Objects.equals(openedAt, other.openedAt);
    }

    /** Whether this vantage point currently sees the target failing. */
    public boolean failing() {
        return state != BreakerState.CLOSED;
    }
}
