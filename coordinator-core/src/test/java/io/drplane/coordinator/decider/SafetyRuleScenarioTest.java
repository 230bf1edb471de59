package io.drplane.coordinator.decider;

import static io.drplane.coordinator.decider.Scenario.PRIMARY;
import static io.drplane.coordinator.decider.Scenario.STANDBY;
import static org.assertj.core.api.Assertions.assertThat;

import io.drplane.coordinator.analysis.Analysis;
import io.drplane.coordinator.safety.Refusal;
import io.drplane.coordinator.safety.SafetyContext;
import io.drplane.coordinator.safety.SafetyRule;
import io.drplane.events.BackupCopyCompleted;
import io.drplane.events.BackupJobCompleted;
import io.drplane.events.Command;
import io.drplane.events.FailoverHeld;
import io.drplane.events.FailoverKind;
import io.drplane.events.FailoverStarted;
import io.drplane.events.ReasonCode;
import io.drplane.events.SwitchoverRequested;
import io.drplane.plan.Group;
import io.drplane.plan.load.PlanLoader;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One golden scenario per safety rule: the failover is held with the rule's reason and what a person can do. */
class SafetyRuleScenarioTest {

    @Test
    void standbyNotHealthy() {
        Scenario s = Scenario.warmStandby("automatic").healthy();
        s.later(Duration.ofSeconds(20)); // the standby's observers go quiet: UNKNOWN, not DOWN
        s.lag(100);
        for (int i = 0; i < 3; i++) {
            for (String v : Scenario.VANTAGES) {
                s.probe(PRIMARY, v, false);
            }
            s.later(Duration.ofSeconds(1));
        }

        FailoverHeld held = s.last(FailoverHeld.class);
        assertThat(held.reason().code()).isEqualTo(ReasonCode.STANDBY_NOT_HEALTHY);
        assertThat(held.reason().message()).isEqualTo("us-west-2 is UNKNOWN by quorum, not UP.");
        assertThat(s.commands()).isEmpty();
    }

    @Test
    void replicationLagStale() {
        Scenario s = Scenario.warmStandby("automatic").healthy();
        s.rounds(35, true, true).rounds(3, false, true); // no lag observation for over 30 s

        FailoverHeld held = s.last(FailoverHeld.class);
        assertThat(held.reason().code()).isEqualTo(ReasonCode.REPLICATION_LAG_STALE);
        assertThat(held.reason().message())
                .isEqualTo("orders-db: the last lag observation is 37s old (fresh means within 30s).");
        assertThat(held.remedy())
                .isEqualTo(
                        "check the replication tracker, or approve knowing the data loss is unknown: drplane approve shop");
    }

    @Test
    void replicationLagAboveMaximumHoldsUntilTheLagFalls() {
        Scenario s = Scenario.warmStandby("automatic").healthy().lag(95_000);
        s.rounds(3, false, true);

        FailoverHeld held = s.last(FailoverHeld.class);
        assertThat(held.reason().code()).isEqualTo(ReasonCode.REPLICATION_LAG_ABOVE_MAX);
        assertThat(held.reason().message()).isEqualTo("orders-db is 95000 ms behind, over maxLagOnFailover 60000 ms.");
        assertThat(held.remedy())
                .isEqualTo(
                        "wait for the lag to fall under 60000 ms, or approve accepting the data loss: drplane approve shop");
        assertThat(s.all(FailoverHeld.class))
                .as("announced once, not on every event")
                .hasSize(1);
        assertThat(s.commands()).isEmpty();

        s.lag(2_000);

        assertThat(s.last(FailoverStarted.class).reason().code()).isEqualTo(ReasonCode.FAILOVER_AUTOMATIC);
    }

    @Test
    void anApprovalAcceptsTheDataLoss() {
        Scenario s = Scenario.warmStandby("automatic").healthy().lag(95_000);
        s.rounds(3, false, true);

        s.approve("alice@example.com", "accept the loss");

        assertThat(s.last(FailoverStarted.class).reason().code()).isEqualTo(ReasonCode.FAILOVER_APPROVED);
    }

    @Test
    void cooldownActive() {
        Scenario s = failedOverOnce("      cooldown: 30m\n      maxFailovers: 5\n      failoverWindow: 24h");

        s.rounds(3, true, false); // now the new primary (us-west-2) is lost

        FailoverHeld held = s.last(FailoverHeld.class);
        assertThat(held.reason().code()).isEqualTo(ReasonCode.COOLDOWN_ACTIVE);
        assertThat(held.reason().message()).startsWith("the last failover was ").endsWith(" ago; the cooldown is 30m.");
    }

    @Test
    void failoverRateLimited() {
        Scenario s = failedOverOnce("      cooldown: 0s\n      maxFailovers: 1\n      failoverWindow: 24h");

        s.rounds(3, true, false);

        FailoverHeld held = s.last(FailoverHeld.class);
        assertThat(held.reason().code()).isEqualTo(ReasonCode.FAILOVER_RATE_LIMITED);
        assertThat(held.reason().message()).isEqualTo("1 failover(s) in the last 1d, the most allowed is 1.");
    }

    @Test
    void noRecentRecoveryPointForBackupAndRestoreCountsOnlyWhatTheTargetRegionHolds() {
        Scenario s = new Scenario("strategy: backup-and-restore\n    mode: automatic", "");
        // a fresh recovery point in the failing primary's region cannot be restored in the standby
        s.feed(new BackupJobCompleted(
                "shop", "hourly", PRIMARY, "job-1", "arn:aws:rds:us-east-1:1:snapshot:rp", null, s.now, s.now));
        s.later(Duration.ofMinutes(5)).healthy().rounds(3, false, true);

        FailoverHeld held = s.last(FailoverHeld.class);
        assertThat(held.reason().code()).isEqualTo(ReasonCode.NO_RECENT_RECOVERY_POINT);
        assertThat(held.reason().message()).isEqualTo("no recovery point is known in us-west-2.");
    }

    @Test
    void aCopyCountsFromWhenItsSourceWasTakenNotWhenTheCopyFinished() {
        Scenario s = new Scenario("strategy: backup-and-restore\n    mode: automatic", "");
        // the copy finished just now, but its data is 3h10m old: over the 3h RPO
        s.feed(new BackupCopyCompleted(
                "shop",
                "hourly",
                PRIMARY,
                STANDBY,
                "copy-1",
                "arn:aws:rds:us-west-2:1:snapshot:rp",
                s.now.minus(Duration.ofMinutes(190)),
                s.now));
        s.later(Duration.ofMinutes(1)).healthy().rounds(3, false, true);
        FailoverHeld held = s.last(FailoverHeld.class);
        assertThat(held.reason().code()).isEqualTo(ReasonCode.NO_RECENT_RECOVERY_POINT);
        assertThat(held.reason().message())
                .isEqualTo("the newest recovery point in us-west-2 is 3 h 11 min old, older than the RPO of 3h.");
        assertThat(held.remedy())
                .isEqualTo("wait for the next backup and its copy to us-west-2, "
                        + "or approve restoring the newest one there: drplane approve shop");
    }

    @Test
    void aRecentCopyInTheTargetRegionLetsABackupAndRestoreGroupFailOver() {
        Scenario s = new Scenario("strategy: backup-and-restore\n    mode: automatic", "");
        s.feed(new BackupCopyCompleted(
                "shop",
                "hourly",
                PRIMARY,
                STANDBY,
                "copy-1",
                "arn:aws:rds:us-west-2:1:snapshot:rp",
                s.now.minus(Duration.ofMinutes(70)),
                s.now));
        s.later(Duration.ofMinutes(1)).healthy().rounds(3, false, true);
        assertThat(s.last(FailoverStarted.class).toRegion()).isEqualTo(STANDBY);
    }

    @Test
    void failoverInProgress() {
        Scenario s = Scenario.warmStandby("automatic").healthy().lag(100);
        s.rounds(3, false, true);
        assertThat(s.state.failover()).isNotNull();

        Optional<Refusal> refusal = SafetyRule.NO_FAILOVER_IN_PROGRESS.check(new SafetyContext(
                s.decider == null ? null : planGroup(), s.state, STANDBY, FailoverKind.UNPLANNED, s.now));

        assertThat(refusal).get().extracting(Refusal::code).isEqualTo(ReasonCode.FAILOVER_IN_PROGRESS);
        assertThat(refusal.get().remedy()).isEqualTo("wait for it to finish, or abort it with: drplane abort shop");
    }

    @Test
    void flappingCausesAtMostOneFailover() {
        // No cooldown, no rate limit worth the name, replication both ways: only the breakers stand between a flapping
        // region and a failover back to it when the new primary fails for real.
        Scenario s = flappingFor60Seconds(2);

        assertThat(s.all(FailoverStarted.class))
                .as("the flapping primary is failed over once, and never failed back to while it flaps")
                .hasSize(1)
                .allSatisfy(started -> assertThat(started.toRegion()).isEqualTo(STANDBY));
        assertThat(s.state.analysis())
                .as("when the new primary fails for real, the flapping region is no target: never UP between flaps")
                .isEqualTo(Analysis.BOTH_REGIONS_DOWN);
    }

    @Test
    void flappingWithoutHysteresisFailsBackToTheFlappingRegion() {
        // The control of the test above: a breaker that closes on one half-open success lets the flapping region look
        // UP between two flaps, and the group fails back to it. What holds above is the hysteresis, not the plan.
        Scenario s = flappingFor60Seconds(1);

        assertThat(s.all(FailoverStarted.class)).hasSizeGreaterThan(1);
        assertThat(s.last(FailoverStarted.class).toRegion()).isEqualTo(PRIMARY);
    }

    /**
     * us-east-1 flaps at 1 Hz for 60 s (down, up, down...) seen from every vantage point; us-west-2 is healthy for
     * 30 s, then fails for good; every command succeeds at once; cooldown 0 and 100 failovers a minute allowed.
     */
    private static Scenario flappingFor60Seconds(int halfOpenSuccesses) {
        String plan = Scenario.withReverseLink(
                        "strategy: warm-standby\n    mode: automatic",
                        "      cooldown: 0s\n      maxFailovers: 100\n      failoverWindow: 1m")
                .replace(
                        "openWait: 30s, halfOpenSuccesses: 2", "openWait: 5s, halfOpenSuccesses: " + halfOpenSuccesses);
        Scenario s = new Scenario(plan).healthy().lag(100).lagBack(100);
        Set<String> answered = new HashSet<>();
        for (int second = 0; second < 60; second++) {
            s.round(second % 2 == 1, second < 30).lag(100).lagBack(100).tick();
            for (Command command : s.commands()) {
                if (answered.add(command.commandId())) {
                    s.succeed(command);
                }
            }
        }
        return s;
    }

    @Test
    void theOldPrimaryIsNoReplicaAfterAFailover() {
        // The plan's only link runs from us-east-1 into us-west-2, which is now the primary: nothing says how old
        // us-east-1's data is, and the old link's lag (still reported, small) must not vouch for it.
        Scenario s = new Scenario(
                        "strategy: warm-standby\n    mode: automatic",
                        "      cooldown: 0s\n      maxFailovers: 5\n      failoverWindow: 24h")
                .failedOverOnce();

        s.rounds(3, true, false).lag(100);

        FailoverHeld held = s.last(FailoverHeld.class);
        assertThat(held.reason().code()).isEqualTo(ReasonCode.TARGET_NOT_REPLICATING);
        assertThat(held.toRegion()).isEqualTo(PRIMARY);
        assertThat(held.reason().message())
                .isEqualTo("no replication link runs now from the primary us-west-2 into us-east-1,"
                        + " so no lag says how old its data is.");
        assertThat(held.remedy())
                .isEqualTo("let re-protect make us-east-1 a replica of us-west-2 (drplane status shop shows it),"
                        + " or approve knowing its data may be old: drplane approve shop");
        assertThat(s.all(FailoverStarted.class)).as("only the first failover").hasSize(1);

        // A person who knows us-east-1's data is good enough (or that losing it is better than staying down) approves.
        s.approve("alice@example.com", "failing back to the old data");

        FailoverStarted back = s.last(FailoverStarted.class);
        assertThat(back.reason().code()).isEqualTo(ReasonCode.FAILOVER_APPROVED);
        assertThat(back.toRegion()).isEqualTo(PRIMARY);
    }

    @Test
    void aReverseLinkLetsTheFailbackGoAheadOnItsOwnLag() {
        Scenario s = new Scenario(Scenario.withReverseLink(
                        "strategy: warm-standby\n    mode: automatic",
                        "      cooldown: 0s\n      maxFailovers: 5\n      failoverWindow: 24h"))
                .failedOverOnce();
        s.reprotect(100);
        s.lagBack(95_000);

        s.rounds(3, true, false);

        FailoverHeld held = s.last(FailoverHeld.class);
        assertThat(held.reason().code())
                .as("the reverse link's lag is what counts")
                .isEqualTo(ReasonCode.REPLICATION_LAG_ABOVE_MAX);
        assertThat(held.reason().message())
                .isEqualTo("orders-db-back is 95000 ms behind, over maxLagOnFailover 60000 ms.");

        s.lagBack(300);

        FailoverStarted back = s.last(FailoverStarted.class);
        assertThat(back.reason().code()).isEqualTo(ReasonCode.FAILOVER_AUTOMATIC);
        assertThat(back.fromRegion()).isEqualTo(STANDBY);
        assertThat(back.toRegion()).isEqualTo(PRIMARY);
    }

    @Test
    void aFailbackWaitsForReprotectToFinish() {
        Scenario s = new Scenario(
                        "strategy: warm-standby\n    mode: automatic",
                        "      cooldown: 0s\n      maxFailovers: 5\n      failoverWindow: 24h")
                .failedOverOnce();
        s.clear();

        s.feed(new SwitchoverRequested("shop", PRIMARY, "alice@example.com", "back home", s.now));

        FailoverHeld held = s.last(FailoverHeld.class);
        assertThat(held.kind()).isEqualTo(FailoverKind.PLANNED_SWITCHOVER);
        assertThat(held.reason().code()).isEqualTo(ReasonCode.REPROTECT_IN_PROGRESS);
        assertThat(held.reason().message())
                .isEqualTo("re-protect shop-reprotect-1 has not made us-east-1 a replica of us-west-2 yet.");
        assertThat(held.remedy())
                .isEqualTo("wait: the switchover starts by itself once us-east-1 is re-protected and the lag is zero"
                        + " (watch it with: drplane status shop)");
        assertThat(s.all(FailoverStarted.class)).isEmpty();
        s.approve("alice@example.com", "go anyway");
        assertThat(s.all(FailoverStarted.class))
                .as("no person may approve past it")
                .isEmpty();

        // the remedy: wait. Re-protect finishes, the lag on the new link is zero, and the switchover goes by itself.
        s.reprotect(0);
        s.round(true, true);
        FailoverStarted back = s.last(FailoverStarted.class);
        assertThat(back.kind()).isEqualTo(FailoverKind.PLANNED_SWITCHOVER);
        assertThat(back.toRegion()).isEqualTo(PRIMARY);
    }

    @Test
    void aSwitchoverIntoARegionThatIsNoReplicaIsHeld() {
        // approval mode: re-protect waits for a person, so nothing replicates into us-east-1
        Scenario s = new Scenario(
                        "strategy: warm-standby\n    mode: approval",
                        "      cooldown: 0s\n      maxFailovers: 5\n      failoverWindow: 24h")
                .failedOverOnce();
        s.clear();

        s.feed(new SwitchoverRequested("shop", PRIMARY, "alice@example.com", "back home", s.now));

        FailoverHeld held = s.last(FailoverHeld.class);
        assertThat(held.kind()).isEqualTo(FailoverKind.PLANNED_SWITCHOVER);
        assertThat(held.reason().code()).isEqualTo(ReasonCode.TARGET_NOT_REPLICATING);
        assertThat(s.all(FailoverStarted.class)).isEmpty();
    }

    /**
     * A completed failover from us-east-1 to us-west-2 under the given policy, re-protected: us-east-1 replicates from
     * us-west-2 on the plan's reverse link.
     */
    private static Scenario failedOverOnce(String policy) {
        Scenario s = new Scenario(Scenario.withReverseLink("strategy: warm-standby\n    mode: automatic", policy))
                .failedOverOnce();
        s.reprotect(100);
        return s.lagBack(100);
    }

    private static Group planGroup() {
        return PlanLoader.parse(
                        Scenario.plan(
                                "strategy: warm-standby\n    mode: automatic",
                                "      cooldown: 30m\n      maxFailovers: 1\n      failoverWindow: 24h"),
                        "scenario.yml")
                .groups()
                .get(0);
    }
}
