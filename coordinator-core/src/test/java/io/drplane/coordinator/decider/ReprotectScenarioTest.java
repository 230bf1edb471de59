package io.drplane.coordinator.decider;

import static io.drplane.coordinator.decider.Scenario.PRIMARY;
import static io.drplane.coordinator.decider.Scenario.STANDBY;
import static org.assertj.core.api.Assertions.assertThat;

import io.drplane.coordinator.analysis.Analysis;
import io.drplane.events.CreateReplica;
import io.drplane.events.EventType;
import io.drplane.events.FailoverApproved;
import io.drplane.events.FailoverCompleted;
import io.drplane.events.FailoverHeld;
import io.drplane.events.FailoverKind;
import io.drplane.events.FailoverStarted;
import io.drplane.events.FenceDatabase;
import io.drplane.events.FinalSnapshotTaken;
import io.drplane.events.GroupReprotected;
import io.drplane.events.PromoteReplica;
import io.drplane.events.ReasonCode;
import io.drplane.events.ReprotectHeld;
import io.drplane.events.ReprotectStarted;
import io.drplane.events.ReprotectStepCompleted;
import io.drplane.events.SetCapacity;
import io.drplane.events.SnapshotDatabase;
import io.drplane.events.SwitchoverRequested;
import io.drplane.events.TopologyChanged;
import io.drplane.events.TopologyLink;
import io.drplane.events.Verify;
import io.drplane.events.VerifyKind;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The whole loop after a failover: the old region comes back, re-protect makes it a replica of the new primary (final
 * snapshot, fence, create the replica, scale down, verify with a lag on the new link), a person fails back, and the
 * group is re-protected the other way round, back to the plan's topology.
 */
class ReprotectScenarioTest {

    private static final String POLICY = "      cooldown: 30m\n      maxFailovers: 1\n      failoverWindow: 24h";

    private static Scenario automatic() {
        return new Scenario("strategy: warm-standby\n    mode: automatic", POLICY);
    }

    /** A failover from us-east-1 to us-west-2 while us-east-1 stays down. */
    private static Scenario failedOverWhileDown(Scenario s) {
        s.healthy().lag(100).rounds(3, false, true);
        s.succeed(s.command(EventType.PROMOTE_REPLICA)).succeed(s.command(EventType.SET_CAPACITY));
        s.succeed(s.command(EventType.SWITCH_DNS)).round(false, true).succeed(s.command(EventType.VERIFY));
        assertThat(s.state.primary()).isEqualTo(STANDBY);
        return s;
    }

    @Test
    void shouldWaitForTheOldRegionThenReprotectItStepByStep() {
        Scenario s = failedOverWhileDown(automatic());

        TopologyChanged afterFailover = s.last(TopologyChanged.class);
        assertThat(afterFailover.primary()).isEqualTo(STANDBY);
        assertThat(afterFailover.links()).isEmpty();
        assertThat(afterFailover.reason().code()).isEqualTo(ReasonCode.TOPOLOGY_CHANGED);
        assertThat(afterFailover.reason().message())
                .isEqualTo("us-west-2 is primary; orders-db no longer replicate: nothing does.");
        ReprotectHeld waiting = s.last(ReprotectHeld.class);
        assertThat(waiting.reason().code()).isEqualTo(ReasonCode.REPROTECT_WAITING_FOR_REGION);
        assertThat(waiting.reason().message())
                .isEqualTo("re-protect waits: us-east-1 is DOWN by quorum; it starts when us-east-1 is UP.");
        assertThat(waiting.remedy())
                .isEqualTo("bring us-east-1 back; re-protect starts by itself when it is UP by quorum"
                        + " (watch it with: drplane status shop)");
        assertThat(s.all(ReprotectStarted.class)).isEmpty();
        long failoverEpoch = s.state.epoch();

        // us-east-1 heals: the old primary's region is UP by quorum after its breakers close again
        s.clear();
        s.later(Duration.ofSeconds(31)).rounds(3, true, true);
        ReprotectStarted started = s.last(ReprotectStarted.class);
        assertThat(started.reason().code()).isEqualTo(ReasonCode.REPROTECT_AUTOMATIC);
        assertThat(started.reason().message())
                .isEqualTo("us-east-1 is up by quorum: re-protect makes it a standby of us-west-2 again. Epoch "
                        + (failoverEpoch + 1) + ".");
        assertThat(started.epoch()).isEqualTo(failoverEpoch + 1);
        assertThat(s.state.analysis()).isEqualTo(Analysis.REPROTECTING);

        SnapshotDatabase snapshot = (SnapshotDatabase) s.command(EventType.SNAPSHOT_DATABASE);
        assertThat(snapshot.region()).isEqualTo(PRIMARY);
        assertThat(snapshot.databaseIdentifier()).isEqualTo("shop-db");
        assertThat(snapshot.snapshotIdentifier()).isEqualTo("drplane-shop-us-east-1-final-" + failoverEpoch);
        assertThat(snapshot.epoch()).isEqualTo(failoverEpoch + 1);
        SetCapacity scaleDown = (SetCapacity) s.command(EventType.SET_CAPACITY);
        assertThat(scaleDown.region())
                .as("issued in parallel with the snapshot")
                .isEqualTo(PRIMARY);
        assertThat(List.of(scaleDown.minSize(), scaleDown.desiredCapacity(), scaleDown.maxSize()))
                .as("a warm standby's default standby size")
                .containsExactly(1, 1, 8);
        assertThat(s.all(FenceDatabase.class))
                .as("nothing is fenced before the snapshot")
                .isEmpty();

        s.succeed(snapshot);
        FinalSnapshotTaken kept = s.last(FinalSnapshotTaken.class);
        assertThat(kept.snapshotIdentifier()).isEqualTo(snapshot.snapshotIdentifier());
        assertThat(kept.rpoExposureMillis()).as("the lag accepted at promotion").isEqualTo(100L);
        assertThat(kept.reason().code()).isEqualTo(ReasonCode.FINAL_SNAPSHOT_TAKEN);
        assertThat(kept.reason().message())
                .isEqualTo("the old primary shop-db is kept in snapshot " + snapshot.snapshotIdentifier()
                        + "; failover " + kept.failoverId() + " accepted 100 ms of lag, writes to reconcile from it.");

        FenceDatabase fence = (FenceDatabase) s.command(EventType.FENCE_DATABASE);
        assertThat(fence.fencedIdentifier()).isEqualTo("shop-db-fenced-" + failoverEpoch);
        assertThat(fence.newPrimaryIdentifier()).isEqualTo("shop-db-replica");
        s.succeed(fence);

        CreateReplica create = (CreateReplica) s.command(EventType.CREATE_REPLICA);
        assertThat(create.region()).isEqualTo(PRIMARY);
        assertThat(create.replicaIdentifier()).isEqualTo("shop-db");
        assertThat(create.sourceRegion()).isEqualTo(STANDBY);
        assertThat(create.sourceIdentifier()).isEqualTo("shop-db-replica");
        s.succeed(create);

        TopologyChanged replicating = s.last(TopologyChanged.class);
        assertThat(replicating.links()).containsExactly(new TopologyLink("orders-db-reversed", STANDBY, PRIMARY));
        assertThat(replicating.reason().message())
                .isEqualTo("orders-db-reversed replicates us-west-2 into us-east-1 now.");
        assertThat(s.all(Verify.class))
                .as("verify waits for the scale-down too")
                .isEmpty();

        s.succeed(scaleDown);
        Verify verify = s.last(Verify.class);
        assertThat(verify.region()).isEqualTo(PRIMARY);
        assertThat(verify.checks())
                .extracting(c -> c.kind() + " " + c.resource() + " " + c.expected())
                .containsExactly(
                        VerifyKind.DATABASE_REPLICATING_FROM + " shop-db shop-db-replica",
                        VerifyKind.CAPACITY_IN_SERVICE + " web-use1 1",
                        VerifyKind.DNS_RECORD_ROLE + " use1 SECONDARY");
        s.succeed(verify);
        assertThat(s.all(GroupReprotected.class))
                .as("no lag on the new link yet")
                .isEmpty();

        s.later(Duration.ofSeconds(2)).lagOf("orders-db-reversed", STANDBY, PRIMARY, 90_000);
        assertThat(s.all(GroupReprotected.class))
                .as("a lag over the RPO does not protect")
                .isEmpty();

        s.later(Duration.ofSeconds(2)).lagOf("orders-db-reversed", STANDBY, PRIMARY, 250);
        GroupReprotected done = s.last(GroupReprotected.class);
        assertThat(done.reason().code()).isEqualTo(ReasonCode.REPROTECTED);
        assertThat(done.link()).isEqualTo("orders-db-reversed");
        assertThat(done.primary()).isEqualTo(STANDBY);
        assertThat(done.replicaRegion()).isEqualTo(PRIMARY);
        assertThat(done.timeToReprotectMillis())
                .as("from the old region UP to now")
                .isEqualTo(Duration.between(started.at(), s.now).toMillis());
        assertThat(done.reason().message())
                .isEqualTo("us-west-2 is protected again: us-east-1 replicates from it, 250 ms behind, within the RPO"
                        + " of 60000 ms; re-protected " + done.timeToReprotectMillis()
                        + " ms after us-east-1 was up.");
        assertThat(s.last(ReprotectStepCompleted.class).step()).isEqualTo("verify");
        assertThat(s.state.reprotect()).isNull();
        s.round(true, true);
        assertThat(s.state.analysis()).isEqualTo(Analysis.ALL_HEALTHY);
    }

    /** A failover, then re-protect with every command succeeding and a small lag on the new link. */
    static Scenario reprotected(Scenario s) {
        s.failedOverOnce().reprotect(200);
        return s;
    }

    @Test
    void shouldFailBackOnceReprotectedAtZeroLagAndReprotectTheOtherWay() {
        Scenario s = reprotected(automatic());
        var cooldownFrom = s.state.lastFailoverAt();
        s.clear();

        s.feed(new SwitchoverRequested("shop", PRIMARY, "alice@example.com", "failback", s.now));
        FailoverHeld waiting = s.last(FailoverHeld.class);
        assertThat(waiting.reason().code())
                .as("the cooldown counts failovers, not a failback a person asked for")
                .isEqualTo(ReasonCode.REPLICATION_LAG_ABOVE_MAX);
        assertThat(waiting.reason().message())
                .isEqualTo("orders-db-reversed is 200 ms behind; a planned switchover waits for zero lag.");

        s.later(Duration.ofSeconds(1)).lagOf("orders-db-reversed", STANDBY, PRIMARY, 0);
        FailoverStarted back = s.last(FailoverStarted.class);
        assertThat(back.kind()).isEqualTo(FailoverKind.PLANNED_SWITCHOVER);
        assertThat(back.toRegion()).isEqualTo(PRIMARY);
        assertThat(back.reason().message())
                .startsWith("planned switchover from us-west-2 to us-east-1, asked for by alice@example.com: the lag is"
                        + " zero. Epoch ");
        PromoteReplica promote = (PromoteReplica) s.command(EventType.PROMOTE_REPLICA);
        assertThat(promote.region()).isEqualTo(PRIMARY);
        assertThat(promote.replicaIdentifier())
                .as("the replica re-protect made")
                .isEqualTo("shop-db");
        s.succeed(promote).succeed(s.command(EventType.SET_CAPACITY));
        s.succeed(s.command(EventType.SWITCH_DNS)).round(true, true).succeed(s.command(EventType.VERIFY));

        FailoverCompleted completed = s.last(FailoverCompleted.class);
        assertThat(completed.rpoMillis()).as("failback RPO").isEqualTo(0L);
        assertThat(s.state.primary()).isEqualTo(PRIMARY);
        assertThat(s.state.lastFailoverAt()).as("a failback starts no cooldown").isEqualTo(cooldownFrom);
        assertThat(s.state.failoverStarts())
                .as("nor counts towards the rate limit")
                .hasSize(1);

        // us-west-2 was up all along: re-protect starts at once, the other way round, back to the plan's topology
        ReprotectStarted again = s.last(ReprotectStarted.class);
        assertThat(again.oldPrimary()).isEqualTo(STANDBY);
        s.succeed(s.command(EventType.SNAPSHOT_DATABASE));
        FenceDatabase fence = (FenceDatabase) s.command(EventType.FENCE_DATABASE);
        assertThat(fence.region()).isEqualTo(STANDBY);
        assertThat(fence.databaseIdentifier()).isEqualTo("shop-db-replica");
        s.succeed(fence);
        CreateReplica create = (CreateReplica) s.command(EventType.CREATE_REPLICA);
        assertThat(create.replicaIdentifier()).isEqualTo("shop-db-replica");
        assertThat(create.sourceIdentifier()).isEqualTo("shop-db");
        s.succeed(create).succeed(s.command(EventType.SET_CAPACITY)).succeed(s.command(EventType.VERIFY));
        s.later(Duration.ofSeconds(1)).lag(150);

        assertThat(s.last(GroupReprotected.class).link()).isEqualTo("orders-db");
        assertThat(s.state.links()).containsExactly("orders-db");
        s.round(true, true);
        assertThat(s.state.analysis()).isEqualTo(Analysis.ALL_HEALTHY);
    }

    @Test
    void shouldHoldReprotectForApprovalInApprovalMode() {
        Scenario s = new Scenario("strategy: warm-standby\n    mode: approval", POLICY).failedOverOnce();

        ReprotectHeld held = s.last(ReprotectHeld.class);
        assertThat(held.reason().code()).isEqualTo(ReasonCode.APPROVAL_REQUIRED);
        assertThat(held.reason().message())
                .isEqualTo("us-east-1 is up again; re-protect is ready and the group is in approval mode.");
        assertThat(held.remedy()).isEqualTo("approve with: drplane approve shop");
        assertThat(s.all(SnapshotDatabase.class)).isEmpty();

        // the remedy: drplane approve writes an approval of what is held, past what it is held for
        s.feed(new FailoverApproved(
                "shop", held.reprotectId(), "alice@example.com", null, s.now, ReasonCode.APPROVAL_REQUIRED));

        ReprotectStarted started = s.last(ReprotectStarted.class);
        assertThat(started.reason().code()).isEqualTo(ReasonCode.REPROTECT_APPROVED);
        assertThat(started.reason().message()).startsWith("alice@example.com approved re-protect of us-east-1");
        assertThat(s.command(EventType.SNAPSHOT_DATABASE)).isNotNull();
    }

    @Test
    void shouldHoldOnAFailedStepUntilAPersonApprovesGoingOn() {
        Scenario s = automatic().failedOverOnce();
        s.succeed(s.command(EventType.SNAPSHOT_DATABASE)).succeed(s.command(EventType.FENCE_DATABASE));
        for (int attempt = 0; attempt < 3; attempt++) {
            s.fail(s.command(EventType.CREATE_REPLICA));
        }

        ReprotectHeld held = s.last(ReprotectHeld.class);
        assertThat(held.reason().code()).isEqualTo(ReasonCode.REPROTECT_STEP_FAILED);
        assertThat(held.reason().message())
                .isEqualTo("command.create-replica failed after 3 attempt(s): Throttling Rate exceeded. create-replica"
                        + " has no retries left; re-protect holds (nothing is undone).");
        assertThat(held.remedy()).isEqualTo("fix what failed, then retry the step: drplane approve shop");
        int issued = s.all(CreateReplica.class).size();
        s.later(Duration.ofMinutes(5)).rounds(3, true, true);
        assertThat(s.all(CreateReplica.class))
                .as("nothing more goes out while held")
                .hasSize(issued);
        assertThat(s.state.analysis()).isEqualTo(Analysis.REPROTECTING);

        // the remedy works: the approval the API writes for what is held
        s.feed(new FailoverApproved(
                "shop", held.reprotectId(), "alice@example.com", null, s.now, ReasonCode.REPROTECT_STEP_FAILED));
        CreateReplica again = s.last(CreateReplica.class);
        assertThat(s.all(CreateReplica.class)).hasSize(issued + 1);
        assertThat(again.commandId()).endsWith(":create-replica:1");
        s.succeed(again).succeed(s.command(EventType.SET_CAPACITY)).succeed(s.command(EventType.VERIFY));
        s.later(Duration.ofSeconds(1)).lagOf("orders-db-reversed", STANDBY, PRIMARY, 100);
        assertThat(s.last(GroupReprotected.class).reprotectId()).isEqualTo(held.reprotectId());
    }
}
