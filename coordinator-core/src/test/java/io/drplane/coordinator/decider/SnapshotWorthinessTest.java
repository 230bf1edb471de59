package io.drplane.coordinator.decider;

import static io.drplane.coordinator.decider.Scenario.PRIMARY;
import static org.assertj.core.api.Assertions.assertThat;

import io.drplane.coordinator.state.GroupState;
import org.junit.jupiter.api.Test;

/**
 * What the coordinator must snapshot at once ({@link GroupState#sameDecisionsAs} false) and what can wait for the
 * periodic refresh: report times, the clock, and probe history that has not moved a breaker.
 */
class SnapshotWorthinessTest {

    @Test
    void shouldLetHealthyProbesWaitForTheRefresh() {
        Scenario s = Scenario.warmStandby("automatic").healthy();
        GroupState before = s.state;
        s.rounds(2, true, true); // the windows take two more OK results each; no breaker moves

        assertThat(s.state.sightings()).isNotEqualTo(before.sightings());
        assertThat(s.state.sameDecisionsAs(before)).isTrue();
    }

    @Test
    void shouldSnapshotAFailureAtOnce() {
        Scenario s = Scenario.warmStandby("automatic").healthy();
        GroupState before = s.state;
        s.probe(PRIMARY, "v1", false); // a run of one failure: closer to opening

        assertThat(s.state.sameDecisionsAs(before)).isFalse();
    }

    @Test
    void shouldSnapshotABreakerThatMoves() {
        Scenario s = Scenario.warmStandby("automatic").healthy();
        s.probe(PRIMARY, "v1", false).probe(PRIMARY, "v1", false);
        GroupState twoFailures = s.state;
        s.probe(PRIMARY, "v1", false); // the third opens it

        assertThat(s.state.sameDecisionsAs(twoFailures)).isFalse();
    }
}
