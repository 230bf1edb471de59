package io.drplane.coordinator.decider;

import static io.drplane.coordinator.decider.Scenario.PRIMARY;
import static io.drplane.coordinator.decider.Scenario.STANDBY;
import static org.assertj.core.api.Assertions.assertThat;

import io.drplane.events.Command;
import io.drplane.events.CommandRejected;
import io.drplane.events.DnsRecord;
import io.drplane.events.DrillRequested;
import io.drplane.events.EventType;
import io.drplane.events.FailoverAbortRequested;
import io.drplane.events.FailoverAborted;
import io.drplane.events.FailoverCompleted;
import io.drplane.events.FailoverFailed;
import io.drplane.events.FailoverHeld;
import io.drplane.events.FailoverKind;
import io.drplane.events.FailoverStarted;
import io.drplane.events.FailoverStepCompleted;
import io.drplane.events.PromoteReplica;
import io.drplane.events.Reason;
import io.drplane.events.ReasonCode;
import io.drplane.events.RegionHealth;
import io.drplane.events.RegionStateChanged;
import io.drplane.events.SetCapacity;
import io.drplane.events.SwitchDns;
import io.drplane.events.SwitchoverRequested;
import java.time.Duration;
import java.time.Instant;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/** Whole failovers through the decider: the runbook's commands, their results, the measured RTO and RPO, and the modes. */
class FailoverScenarioTest {

    /** The primary is lost while the standby and the lag are fine. */
    private static Scenario primaryLost(String mode) {
        Scenario s = Scenario.warmStandby(mode).healthy().lag(400);
        s.clear();
        return s.rounds(3, false, true);
    }

    @Test
    void shouldRunTheWarmStandbyRunbookAndMeasureRtoAndRpo() {
        Scenario s = primaryLost("automatic");

        FailoverStarted started = s.last(FailoverStarted.class);
        assertThat(started.reason().code()).isEqualTo(ReasonCode.FAILOVER_AUTOMATIC);
        assertThat(started.reason().message())
                .isEqualTo("the primary us-east-1 is down by quorum and every safety rule passed. Epoch 1.");
        assertThat(started.epoch()).isEqualTo(1);
        // promote and scale run in parallel; DNS waits for both
        assertThat(s.commands())
                .extracting(Command::eventType)
                .containsExactly(EventType.PROMOTE_REPLICA, EventType.SET_CAPACITY);
        PromoteReplica promote = (PromoteReplica) s.command(EventType.PROMOTE_REPLICA);
        assertThat(promote.region()).isEqualTo(STANDBY);
        assertThat(promote.replicaIdentifier()).isEqualTo("shop-db-replica");
        assertThat(promote.epoch()).isEqualTo(1);
        assertThat(promote.reason().code()).isEqualTo(ReasonCode.RUNBOOK_STEP);
        SetCapacity scale = (SetCapacity) s.command(EventType.SET_CAPACITY);
        assertThat(scale.autoScalingGroupName()).isEqualTo("web-usw2");
        assertThat(scale.desiredCapacity()).isEqualTo(4);

        s.later(Duration.ofSeconds(40)).succeed(promote);
        assertThat(s.commands()).as("DNS still waits for scale-compute").hasSize(2);
        s.later(Duration.ofSeconds(5)).succeed(scale);
        SwitchDns dns = (SwitchDns) s.command(EventType.SWITCH_DNS);
        assertThat(dns.records())
                .extracting(DnsRecord::setIdentifier, DnsRecord::failover)
                .containsExactly(Tuple.tuple("use1", "SECONDARY"), Tuple.tuple("usw2", "PRIMARY"));
        s.later(Duration.ofSeconds(10)).succeed(dns);
        s.later(Duration.ofSeconds(5)).rounds(1, false, true).succeed(s.command(EventType.VERIFY));

        FailoverCompleted completed = s.last(FailoverCompleted.class);
        assertThat(completed.reason().code()).isEqualTo(ReasonCode.FAILOVER_VERIFIED);
        Instant detected = s.all(RegionStateChanged.class).stream()
                .filter(r -> r.region().equals(PRIMARY) && r.to() == RegionHealth.DOWN)
                .findFirst()
                .orElseThrow()
                .at();
        assertThat(completed.rtoMillis())
                .as("from the quorum-confirmed failure to verified")
                .isEqualTo(Duration.between(detected, completed.at()).toMillis())
                .isEqualTo(62_000);
        assertThat(completed.rtoTargetMillis()).isEqualTo(900_000);
        assertThat(completed.rpoMillis())
                .as("the lag when the failover started")
                .isEqualTo(400);
        assertThat(completed.reason().message())
                .isEqualTo("us-west-2 serves healthy traffic; RTO 62000 ms of 900000 ms, RPO 400 ms of 60000 ms.");
        assertThat(s.all(FailoverStepCompleted.class))
                .extracting(FailoverStepCompleted::step)
                .containsExactly("promote-database", "scale-compute", "switch-dns", "verify");
        assertThat(s.state.primary()).isEqualTo(STANDBY);
        assertThat(s.state.failover()).isNull();
    }

    @Test
    void shouldWaitForApprovalInApprovalMode() {
        Scenario s = primaryLost("approval");

        FailoverHeld held = s.last(FailoverHeld.class);
        assertThat(held.reason().code()).isEqualTo(ReasonCode.APPROVAL_REQUIRED);
        assertThat(held.remedy()).isEqualTo("approve with: drplane approve shop");
        assertThat(s.commands()).isEmpty();

        s.rounds(20, false, true).approve("alice@example.com", "go").round(false, true);

        FailoverStarted started = s.last(FailoverStarted.class);
        assertThat(started.reason().code()).isEqualTo(ReasonCode.FAILOVER_APPROVED);
        assertThat(started.reason().message())
                .startsWith("alice@example.com approved the failover from us-east-1 to us-west-2.");
        assertThat(s.commands()).hasSize(2);
    }

    @Test
    void shouldDecideAndRecordButCommandNothingInObserveMode() {
        Scenario s = primaryLost("observe");
        s.rounds(5, false, true).tick();

        assertThat(s.all(FailoverHeld.class)).singleElement().satisfies(held -> {
            assertThat(held.reason().code()).isEqualTo(ReasonCode.OBSERVE_MODE);
            assertThat(held.reason().message())
                    .isEqualTo(
                            "every safety rule passed; in observe mode the failover to us-west-2 is recorded, not commanded.");
        });
        assertThat(s.commands()).isEmpty();
        assertThat(s.state.epoch()).isZero();
    }

    @Test
    void shouldRetryAFailedStepThenFailTheFailoverWithoutLooping() {
        Scenario s = primaryLost("automatic");
        PromoteReplica first = (PromoteReplica) s.command(EventType.PROMOTE_REPLICA);

        s.fail(first);
        Command second = s.command(EventType.PROMOTE_REPLICA);
        assertThat(second.commandId()).isEqualTo(first.commandId().replace(":1", ":2"));
        s.fail(second);
        s.fail(s.command(EventType.PROMOTE_REPLICA));

        FailoverFailed failed = s.last(FailoverFailed.class);
        assertThat(failed.failedStep()).isEqualTo("promote-database");
        assertThat(failed.reason().code()).isEqualTo(ReasonCode.STEP_FAILED);
        assertThat(failed.reason().message())
                .isEqualTo("command.promote-replica failed after 3 attempt(s): Throttling Rate exceeded. "
                        + "No retries left; the failover stopped and a person must act.");
        long promotes = s.commands().stream()
                .filter(c -> c.eventType() == EventType.PROMOTE_REPLICA)
                .count();
        s.rounds(5, false, true).tick();
        assertThat(s.commands().stream()
                        .filter(c -> c.eventType() == EventType.PROMOTE_REPLICA)
                        .count())
                .isEqualTo(promotes);
    }

    @Test
    void shouldTimeOutAStepOnTheCoordinatorsOwnTick() {
        Scenario s = primaryLost("automatic");
        Command promote = s.command(EventType.PROMOTE_REPLICA);

        s.later(Duration.ofMinutes(10)).tick();

        Command retried = s.command(EventType.PROMOTE_REPLICA);
        assertThat(retried.commandId()).isNotEqualTo(promote.commandId()).endsWith(":2");
    }

    @Test
    void shouldFailWhenAnExecutorRejectsAStaleEpoch() {
        Scenario s = primaryLost("automatic");

        s.reject(s.command(EventType.PROMOTE_REPLICA));
        s.reject(s.command(EventType.PROMOTE_REPLICA));
        s.reject(s.command(EventType.PROMOTE_REPLICA));

        assertThat(s.last(FailoverFailed.class).reason().code()).isEqualTo(ReasonCode.EPOCH_STALE);
    }

    @Test
    void shouldWaitForZeroLagBeforeAPlannedSwitchover() {
        Scenario s = Scenario.warmStandby("automatic").healthy().lag(1_500);
        s.clear();

        s.feed(new SwitchoverRequested("shop", STANDBY, "bob@example.com", "maintenance", s.now));
        FailoverHeld held = s.last(FailoverHeld.class);
        assertThat(held.kind()).isEqualTo(FailoverKind.PLANNED_SWITCHOVER);
        assertThat(held.reason().code()).isEqualTo(ReasonCode.REPLICATION_LAG_ABOVE_MAX);
        assertThat(held.reason().message())
                .isEqualTo("orders-db is 1500 ms behind; a planned switchover waits for zero lag.");
        assertThat(s.commands()).isEmpty();

        s.later(Duration.ofSeconds(1)).lag(0);

        FailoverStarted started = s.last(FailoverStarted.class);
        assertThat(started.kind()).isEqualTo(FailoverKind.PLANNED_SWITCHOVER);
        assertThat(started.reason().code()).isEqualTo(ReasonCode.SWITCHOVER_REQUESTED);
        assertThat(s.commands()).isNotEmpty().allSatisfy(c -> assertThat(c.dryRun())
                .isFalse());
    }

    @Test
    void shouldRunADrillWithDryCommandsAndKeepThePrimary() {
        Scenario s = Scenario.warmStandby("automatic").healthy();
        s.clear();

        s.feed(new DrillRequested("shop", STANDBY, "carol@example.com", "game day", s.now));
        assertThat(s.last(FailoverStarted.class).kind()).isEqualTo(FailoverKind.DRILL);
        assertThat(s.last(FailoverStarted.class).reason().code()).isEqualTo(ReasonCode.DRILL_REQUESTED);
        assertThat(s.last(FailoverStarted.class).reason().message())
                .isEqualTo("drill of the failover from us-east-1 to us-west-2: commands run dry. Epoch 1.");
        assertThat(s.commands()).isNotEmpty().allSatisfy(c -> assertThat(c.dryRun())
                .isTrue());
        s.succeed(s.command(EventType.PROMOTE_REPLICA))
                .succeed(s.command(EventType.SET_CAPACITY))
                .succeed(s.command(EventType.SWITCH_DNS))
                .succeed(s.command(EventType.VERIFY));

        assertThat(s.last(FailoverCompleted.class).reason().message())
                .startsWith("us-west-2 would serve (drill, nothing changed)");
        assertThat(s.state.primary()).isEqualTo(PRIMARY);
        assertThat(s.state.failoverStarts())
                .as("a drill is not a failover for the rate limit")
                .isEmpty();
    }

    @Test
    void shouldSayWhyAnOperatorRequestDoesNotRun() {
        Scenario s = primaryLost("automatic");
        String running = s.last(FailoverStarted.class).failoverId();

        s.feed(new DrillRequested("shop", STANDBY, "erin@example.com", null, s.now));
        FailoverHeld busy = s.last(FailoverHeld.class);
        assertThat(busy.reason().code()).isEqualTo(ReasonCode.FAILOVER_IN_PROGRESS);
        assertThat(busy.reason().message())
                .isEqualTo("erin@example.com's drill request was not started: failover " + running
                        + " to us-west-2 is in progress.");

        Scenario calm = Scenario.warmStandby("automatic").healthy();
        calm.feed(new SwitchoverRequested("shop", PRIMARY, "erin@example.com", null, calm.now));
        assertThat(calm.last(FailoverHeld.class).reason().code()).isEqualTo(ReasonCode.REQUEST_NOT_APPLICABLE);
        assertThat(calm.last(FailoverHeld.class).reason().message())
                .isEqualTo(
                        "erin@example.com's planned-switchover request was not started: us-east-1 is already the primary.");
    }

    @Test
    void shouldAbortOnRequestAndCommandNothingMore() {
        Scenario s = primaryLost("automatic");
        String id = s.last(FailoverStarted.class).failoverId();
        int commands = s.commands().size();

        s.feed(new FailoverAbortRequested("shop", id, "dave@example.com", "false alarm", s.now));
        s.succeed(s.command(EventType.PROMOTE_REPLICA)).rounds(3, false, true);

        FailoverAborted aborted = s.last(FailoverAborted.class);
        assertThat(aborted.reason().code()).isEqualTo(ReasonCode.OPERATOR_ABORTED);
        assertThat(aborted.reason().message()).isEqualTo("dave@example.com aborted failover " + id + ": false alarm");
        assertThat(s.commands()).hasSize(commands);
    }

    @Test
    void shouldTakeTheHighestEpochAnExecutorReportsAndStartTheNextFailoverAboveIt() {
        Scenario s = Scenario.warmStandby("automatic").healthy().lag(400);
        s.feed(new CommandRejected(
                "shop",
                "old:promote-database:1",
                "old",
                STANDBY,
                0,
                EventType.PROMOTE_REPLICA,
                7,
                s.now,
                Reason.of(ReasonCode.EPOCH_STALE, "epoch 0 is lower than 7.")));
        assertThat(s.state.epoch()).as("an epoch never goes backwards").isEqualTo(7);
        s.clear();

        s.rounds(3, false, true);

        assertThat(s.last(FailoverStarted.class).epoch()).isEqualTo(8);
        assertThat(s.commands()).isNotEmpty().allSatisfy(c -> assertThat(c.epoch())
                .isEqualTo(8));
    }
}
