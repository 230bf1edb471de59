package io.drplane.coordinator.decider;

import static io.drplane.coordinator.decider.Scenario.PRIMARY;
import static io.drplane.coordinator.decider.Scenario.STANDBY;
import static org.assertj.core.api.Assertions.assertThat;

import io.drplane.coordinator.analysis.Analysis;
import io.drplane.coordinator.state.GroupState;
import io.drplane.events.Event;
import io.drplane.events.FailoverStarted;
import io.drplane.events.HealthObserved;
import io.drplane.events.ProbeOutcome;
import io.drplane.events.ProbeSource;
import io.drplane.events.ReasonCode;
import io.drplane.events.RegionHealth;
import io.drplane.events.RegionStateChanged;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An observer with a wrong clock must not blind the coordinator: its observations are refused with a reason that
 * names it, the honest vantage points keep their quorum, and a real outage is detected as fast as without it.
 */
class ClockSkewScenarioTest {

    private static final Duration EIGHTY_YEARS = Duration.ofDays(80L * 365);

    @ParameterizedTest(name = "v3 is {0} s ahead")
    @ValueSource(longs = {30, 3_600, 2_524_608_000L /* 80 years */})
    void shouldRefuseAnObserverAheadOfTheCoordinatorAndStillDetectAnOutage(long secondsAhead) {
        Duration ahead = Duration.ofSeconds(secondsAhead);
        Scenario s = Scenario.warmStandby("automatic").healthy();
        GroupState before = s.state;

        s.probeWithClock(PRIMARY, "v3", true, s.now.plus(ahead));

        assertThat(s.state).as("a refused input changes nothing").isEqualTo(before);
        assertThat(s.refusals).singleElement().satisfies(r -> {
            assertThat(r.code()).isEqualTo(ReasonCode.INPUT_FROM_THE_FUTURE);
            assertThat(r.message())
                    .startsWith("vantage point v3's observation of us-east-1/web is dated " + s.now.plus(ahead) + ", ")
                    .contains(" ahead of the coordinator's clock (" + s.now + "), more than the 5s allowed");
        });

        assertNotBlindedAndOutageDetected(s, ahead);
    }

    @Test
    void shouldRefuseAnObserverAnHourBehindAndStillDetectAnOutage() {
        Scenario s = Scenario.warmStandby("automatic").healthy();

        s.probeWithClock(PRIMARY, "v3", true, s.now.minus(Duration.ofHours(1)));

        assertThat(s.refusals).singleElement().satisfies(r -> {
            assertThat(r.code()).isEqualTo(ReasonCode.INPUT_TOO_OLD);
            assertThat(r.message())
                    .isEqualTo("vantage point v3's observation of us-east-1/web is dated "
                            + s.now.minus(Duration.ofHours(1))
                            + ", 1 h 0 min before the coordinator received it (" + s.now
                            + "), older than the 15s staleness"
                            + " bound: it could not be a fresh vote, and it is refused.");
        });
        assertNotBlindedAndOutageDetected(s, Duration.ofHours(1).negated());
    }

    @Test
    void shouldTakeAnObservationWithinTheSkewAllowed() {
        Scenario s = Scenario.warmStandby("automatic").healthy();

        s.probeWithClock(PRIMARY, "v3", false, s.now.plus(Duration.ofSeconds(4)));

        assertThat(s.refusals).isEmpty();
        assertThat(s.state.sightings().get(PRIMARY + "|v3").lastSeen()).isEqualTo(s.now.plus(Duration.ofSeconds(4)));
        assertThat(s.state.now())
                .as("the coordinator's clock, not the observer's")
                .isEqualTo(s.now);
    }

    @Test
    void shouldHealAStateWhoseClockAnObserverMovedAheadBeforeInputsWereChecked() {
        Scenario s = Scenario.warmStandby("automatic").healthy();
        // As a coordinator without the check left it: an input 80 years ahead, taken in at its own time.
        Instant future = s.now.plus(EIGHTY_YEARS);
        HealthObserved skewed = new HealthObserved(
                "shop", PRIMARY, "web", "v3", ProbeSource.HTTPS, ProbeOutcome.OK, 200, 12, future, null);
        s.state = s.decider
                .decide(s.state, new Event<>("poison", URI.create("/test/skewed"), future, skewed), future)
                .state();
        assertThat(s.state.now()).isEqualTo(future);

        s.tick();

        assertThat(s.state.now()).as("the coordinator's clock wins").isEqualTo(s.now);
        s.round(true, true).tick();
        assertThat(s.state.analysis()).isEqualTo(Analysis.ALL_HEALTHY);
        assertNotBlindedAndOutageDetected(s, EIGHTY_YEARS);
    }

    /** Honest v1 and v2, skewed v3: the group stays healthy for 30 s, then the primary fails and is failed over. */
    private static void assertNotBlindedAndOutageDetected(Scenario s, Duration v3Skew) {
        for (int i = 0; i < 30; i++) {
            roundWithSkewedV3(s, true, v3Skew);
        }
        assertThat(s.state.analysis()).as("no group is blinded").isEqualTo(Analysis.ALL_HEALTHY);
        assertThat(s.refusals).as("every v3 observation refused").hasSizeGreaterThanOrEqualTo(60);

        Instant failed = s.now;
        for (int i = 0; i < 3; i++) {
            roundWithSkewedV3(s, false, v3Skew);
        }
        RegionStateChanged down = s.last(RegionStateChanged.class);
        assertThat(down.region()).isEqualTo(PRIMARY);
        assertThat(down.to()).isEqualTo(RegionHealth.DOWN);
        assertThat(down.reason().code()).isEqualTo(ReasonCode.QUORUM_DOWN);
        assertThat(down.reason().message()).isEqualTo("2 of 2 fresh vantage points see us-east-1 down (quorum 2).");
        assertThat(Duration.between(failed, down.at()))
                .as("detected as fast as with honest observers: 3 consecutive failures, a second apart")
                .isLessThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(s.state.analysis()).isEqualTo(Analysis.PRIMARY_REGION_DOWN);
        assertThat(s.last(FailoverStarted.class).reason().code()).isEqualTo(ReasonCode.FAILOVER_AUTOMATIC);
    }

    private static void roundWithSkewedV3(Scenario s, boolean primaryOk, Duration v3Skew) {
        for (String v : List.of("v1", "v2")) {
            s.probe(PRIMARY, v, primaryOk).probe(STANDBY, v, true);
        }
        s.probeWithClock(PRIMARY, "v3", primaryOk, s.now.plus(v3Skew));
        s.probeWithClock(STANDBY, "v3", true, s.now.plus(v3Skew));
        s.lag(200); // the replication tracker's clock is right
        s.later(Duration.ofSeconds(1)).tick();
    }
}
