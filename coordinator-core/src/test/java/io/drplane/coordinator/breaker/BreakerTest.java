package io.drplane.coordinator.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drplane.events.BreakerState;
import io.drplane.events.ReasonCode;
import io.drplane.plan.Breaker;
import io.drplane.plan.FailoverPolicy;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BreakerTest {

    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    private static final FailoverPolicy POLICY = new FailoverPolicy(
            null,
            Duration.ofSeconds(15),
            Duration.ofSeconds(30),
            new Breaker(10, 50, 3, Duration.ofSeconds(30), 2),
            Duration.ofMinutes(30),
            1,
            Duration.ofHours(24));

    @Test
    void shouldOpenOnConsecutiveFailures() {
        var b = io.drplane.coordinator.breaker.Breaker.closed(T0);
        b = b.record(true, T0, POLICY).breaker();
        b = b.record(true, T0, POLICY).breaker();
        var moved = b.record(true, T0, POLICY);

        assertThat(moved.breaker().state()).isEqualTo(BreakerState.OPEN);
        assertThat(moved.transitions()).singleElement().satisfies(t -> {
            assertThat(t.transition()).isEqualTo(BreakerTransition.CLOSED_TO_OPEN);
            assertThat(t.reason().code()).isEqualTo(ReasonCode.BREAKER_CONSECUTIVE_FAILURES);
            assertThat(t.reason().message()).isEqualTo("3 consecutive probe failures reached the limit of 3.");
        });
    }

    @Test
    void shouldStayTheSameBreakerWhileAFullWindowOfSuccessesGoesOn() {
        var b = io.drplane.coordinator.breaker.Breaker.closed(T0);
        for (int i = 0; i < 10; i++) {
            var moved = b.record(false, T0.plusSeconds(i), POLICY);
            assertThat(moved.breaker())
                    .as("the window fills: a new breaker each time")
                    .isNotSameAs(b);
            b = moved.breaker();
        }

        var moved = b.record(false, T0.plusSeconds(10), POLICY);

        assertThat(moved.breaker()).isSameAs(b);
        assertThat(moved.transitions()).isEmpty();
        assertThat(b.record(true, T0.plusSeconds(11), POLICY).breaker())
                .as("a failure changes it")
                .isNotSameAs(b)
                .satisfies(next -> assertThat(next.consecutiveFailures()).isEqualTo(1));
    }

    @Test
    void shouldOpenOnTheFailureRateOfAFullWindow() {
        var b = io.drplane.coordinator.breaker.Breaker.closed(T0);
        io.drplane.coordinator.breaker.Breaker.Moved moved = null;
        for (int i = 0; i < 10; i++) {
            moved = b.record(i % 2 == 0, T0.plusSeconds(i), POLICY); // fail, ok, fail, ok: never 3 in a row
            b = moved.breaker();
        }
        assertThat(b.state()).isEqualTo(BreakerState.OPEN);
        assertThat(moved.transitions().get(0).reason().code()).isEqualTo(ReasonCode.BREAKER_FAILURE_RATE);
        assertThat(moved.transitions().get(0).reason().message())
                .isEqualTo("5 of the last 10 probes failed, at or over the 50% threshold.");
    }

    @Test
    void shouldOpenAgainWhenAProbeFailsWhileHalfOpen() {
        var halfOpen = open().tick(T0.plusSeconds(30), POLICY).breaker();
        assertThat(halfOpen.state()).isEqualTo(BreakerState.HALF_OPEN);

        var moved = halfOpen.record(true, T0.plusSeconds(31), POLICY);

        assertThat(moved.breaker().state()).isEqualTo(BreakerState.OPEN);
        assertThat(moved.transitions()).singleElement().satisfies(t -> {
            assertThat(t.transition()).isEqualTo(BreakerTransition.HALF_OPEN_TO_OPEN);
            assertThat(t.reason().code()).isEqualTo(ReasonCode.BREAKER_HALF_OPEN_PROBE_FAILED);
            assertThat(t.reason().message()).isEqualTo("a probe failed while half-open.");
        });
    }

    @Test
    void shouldIgnoreResultsWhileOpenThenHalfOpenThenClose() {
        var b = open();
        b = b.record(false, T0.plusSeconds(10), POLICY).breaker();
        assertThat(b.state()).as("successes while open do not count").isEqualTo(BreakerState.OPEN);

        var halfOpen = b.tick(T0.plusSeconds(30), POLICY);
        assertThat(halfOpen.breaker().state()).isEqualTo(BreakerState.HALF_OPEN);
        assertThat(halfOpen.transitions().get(0).reason().code()).isEqualTo(ReasonCode.BREAKER_WAIT_ELAPSED);

        var one = halfOpen.breaker().record(false, T0.plusSeconds(31), POLICY);
        assertThat(one.breaker().state()).isEqualTo(BreakerState.HALF_OPEN);
        var two = one.breaker().record(false, T0.plusSeconds(32), POLICY);
        assertThat(two.breaker().state()).isEqualTo(BreakerState.CLOSED);
        assertThat(two.transitions().get(0).reason().code()).isEqualTo(ReasonCode.BREAKER_PROBES_SUCCEEDED);
    }

    @Test
    void shouldReopenOnAFailureWhileHalfOpenAndReportBothMoves() {
        var moved = open().record(true, T0.plusSeconds(40), POLICY); // wait elapsed, then a failure
        assertThat(moved.transitions())
                .extracting(io.drplane.coordinator.breaker.Breaker.Transitioned::transition)
                .containsExactly(BreakerTransition.OPEN_TO_HALF_OPEN, BreakerTransition.HALF_OPEN_TO_OPEN);
        assertThat(moved.breaker().state()).isEqualTo(BreakerState.OPEN);
    }

    @Test
    void shouldRefuseAnIllegalTransitionByName() {
        assertThatThrownBy(() -> BreakerTransition.of(BreakerState.CLOSED, BreakerState.HALF_OPEN))
                .isInstanceOf(IllegalBreakerTransitionException.class)
                .hasMessageContaining("a breaker cannot go from CLOSED to HALF_OPEN");
    }

    private static io.drplane.coordinator.breaker.Breaker open() {
        var b = io.drplane.coordinator.breaker.Breaker.closed(T0);
        for (int i = 0; i < 3; i++) {
            b = b.record(true, T0, POLICY).breaker();
        }
        return b;
    }
}
