package io.drplane.coordinator.decider;

import static io.drplane.coordinator.decider.Scenario.PRIMARY;
import static io.drplane.coordinator.decider.Scenario.STANDBY;
import static org.assertj.core.api.Assertions.assertThat;

import io.drplane.coordinator.analysis.Analysis;
import io.drplane.events.FailoverProposed;
import io.drplane.events.ReasonCode;
import io.drplane.events.RegionHealth;
import io.drplane.events.RegionStateChanged;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** One golden scenario per analysis code: what was observed, what the group's situation is called, and what happens. */
class AnalysisScenarioTest {

    @Test
    void allHealthy() {
        Scenario s = Scenario.warmStandby("automatic").healthy();

        assertThat(s.state.analysis()).isEqualTo(Analysis.ALL_HEALTHY);
        assertThat(s.state.regions()).containsEntry(PRIMARY, RegionHealth.UP).containsEntry(STANDBY, RegionHealth.UP);
        RegionStateChanged up = s.all(RegionStateChanged.class).get(0);
        assertThat(up.reason().code()).isEqualTo(ReasonCode.QUORUM_UP);
        assertThat(up.reason().message()).isEqualTo("2 of 2 fresh vantage points see us-east-1 up (quorum 2).");
        assertThat(s.all(FailoverProposed.class)).isEmpty();
    }

    @Test
    void primaryRegionDown() {
        Scenario s = Scenario.warmStandby("automatic").healthy();
        s.clear();

        s.rounds(3, false, true).lag(300);

        assertThat(s.state.analysis()).isEqualTo(Analysis.PRIMARY_REGION_DOWN);
        RegionStateChanged down = s.last(RegionStateChanged.class);
        assertThat(down.to()).isEqualTo(RegionHealth.DOWN);
        assertThat(down.reason().code()).isEqualTo(ReasonCode.QUORUM_DOWN);
        assertThat(down.reason().message()).isEqualTo("2 of 3 fresh vantage points see us-east-1 down (quorum 2).");
        FailoverProposed proposed = s.last(FailoverProposed.class);
        assertThat(proposed.reason().code()).isEqualTo(ReasonCode.PRIMARY_REGION_DOWN);
        assertThat(proposed.reason().message())
                .isEqualTo("the primary us-east-1 is down by quorum; us-west-2 is the failover target.");
    }

    @Test
    void primaryPartiallyUnreachable() {
        Scenario s = Scenario.warmStandby("automatic").healthy();
        s.later(Duration.ofSeconds(20)); // v3 goes quiet: stale after 15 s
        for (int i = 0; i < 3; i++) {
            s.probe(PRIMARY, "v1", false)
                    .probe(PRIMARY, "v2", true)
                    .probe(STANDBY, "v1", true)
                    .probe(STANDBY, "v2", true)
                    .later(Duration.ofSeconds(1));
        }
        s.tick();

        assertThat(s.state.regions()).containsEntry(PRIMARY, RegionHealth.DEGRADED);
        assertThat(s.state.analysis()).isEqualTo(Analysis.PRIMARY_PARTIALLY_UNREACHABLE);
        assertThat(s.last(RegionStateChanged.class).reason().code()).isEqualTo(ReasonCode.QUORUM_PARTIAL);
        assertThat(s.last(RegionStateChanged.class).reason().message())
                .isEqualTo(
                        "vantage points disagree on us-east-1: 1 down, 1 up, 0 partial; no side has the quorum of 2.");
        assertThat(s.all(FailoverProposed.class)).isEmpty();
    }

    @Test
    void observersInsufficient() {
        Scenario s = Scenario.warmStandby("automatic").healthy();
        s.later(Duration.ofSeconds(20)); // every vantage point but v1 goes quiet
        for (int i = 0; i < 4; i++) {
            s.probe(PRIMARY, "v1", false).probe(STANDBY, "v1", true).later(Duration.ofSeconds(1));
        }

        assertThat(s.state.regions()).containsEntry(PRIMARY, RegionHealth.UNKNOWN);
        assertThat(s.state.analysis()).isEqualTo(Analysis.OBSERVERS_INSUFFICIENT);
        assertThat(s.last(RegionStateChanged.class).reason().code()).isEqualTo(ReasonCode.QUORUM_LOST);
        assertThat(s.all(FailoverProposed.class))
                .as("one partitioned monitor never causes a failover")
                .isEmpty();
    }

    @Test
    void standbyDown() {
        Scenario s = Scenario.warmStandby("automatic").healthy();
        s.rounds(3, true, false);

        assertThat(s.state.analysis()).isEqualTo(Analysis.STANDBY_DOWN);
        assertThat(s.state.analysis().description())
                .isEqualTo("a quorum of fresh vantage points sees the standby region down");
        assertThat(s.all(FailoverProposed.class)).isEmpty();
    }

    @Test
    void standbyNotHealthyWhileItIsNotYetSeenByAQuorum() {
        Scenario s = Scenario.warmStandby("automatic");
        s.everyone(PRIMARY, true, 3).probe(STANDBY, "v1", true);

        assertThat(s.state.regions())
                .containsEntry(PRIMARY, RegionHealth.UP)
                .containsEntry(STANDBY, RegionHealth.UNKNOWN);
        assertThat(s.state.analysis())
                .as("a standby nobody has seen yet is not healthy")
                .isEqualTo(Analysis.STANDBY_NOT_HEALTHY);
        assertThat(s.state.analysis().description()).isEqualTo("the standby region is not healthy by quorum");

        s.everyone(STANDBY, true, 3);
        assertThat(s.state.analysis()).isEqualTo(Analysis.ALL_HEALTHY);
    }

    @Test
    void bothRegionsDown() {
        Scenario s = Scenario.warmStandby("automatic").healthy();
        s.rounds(3, true, false).rounds(3, false, false); // the standby is lost first, then the primary

        assertThat(s.state.analysis()).isEqualTo(Analysis.BOTH_REGIONS_DOWN);
        assertThat(s.all(FailoverProposed.class)).as("nowhere to go").isEmpty();
    }

    @Test
    void replicationLagAboveRpo() {
        Scenario s = Scenario.warmStandby("automatic").healthy().lag(90_000);

        assertThat(s.state.analysis()).isEqualTo(Analysis.REPLICATION_LAG_ABOVE_RPO);
        assertThat(s.all(FailoverProposed.class)).isEmpty();
    }

    @Test
    void primaryNotReplicatedAfterAFailover() {
        // In approval mode re-protect waits for a person: until then nothing copies us-west-2's data, and the old
        // link's lag, however small, protects nothing.
        Scenario s = new Scenario("strategy: warm-standby\n    mode: approval", "").failedOverOnce();

        s.lag(100).round(true, true);

        assertThat(s.state.primary()).isEqualTo(Scenario.STANDBY);
        assertThat(s.state.links()).as("the live topology").isEmpty();
        assertThat(s.state.analysis()).isEqualTo(Analysis.PRIMARY_NOT_REPLICATED);
        assertThat(s.state.analysis().description())
                .isEqualTo("no replication link runs out of the current primary now: its data has no replica");
    }

    @Test
    void reprotectingAfterAFailover() {
        Scenario s = new Scenario("strategy: warm-standby\n    mode: automatic", "").failedOverOnce();

        assertThat(s.state.reprotect().started()).isTrue();
        assertThat(s.state.analysis()).isEqualTo(Analysis.REPROTECTING);
        assertThat(s.state.analysis().description())
                .isEqualTo("after a failover, re-protect is putting a replica of the new primary into the old"
                        + " primary's region");
    }

    @Test
    void aReverseLinkProtectsTheNewPrimary() {
        Scenario s = new Scenario(Scenario.withReverseLink("strategy: warm-standby\n    mode: automatic", ""))
                .failedOverOnce();
        // the plan names the link us-west-2 to us-east-1: re-protect creates it under that name
        assertThat(s.reprotect(100)).isEqualTo("orders-db-back");

        s.lagBack(90_000).round(true, true);
        assertThat(s.state.analysis()).isEqualTo(Analysis.REPLICATION_LAG_ABOVE_RPO);

        s.lagBack(200).round(true, true);
        assertThat(s.state.analysis()).isEqualTo(Analysis.ALL_HEALTHY);
    }
}
