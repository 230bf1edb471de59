package io.drplane.coordinator.runbook;

import io.drplane.coordinator.state.LagView;
import io.drplane.coordinator.state.ReprotectRun;
import io.drplane.coordinator.state.StepRun;
import io.drplane.events.Command;
import io.drplane.events.CreateReplica;
import io.drplane.events.DatabaseKind;
import io.drplane.events.Evidence;
import io.drplane.events.FenceDatabase;
import io.drplane.events.FinalSnapshotTaken;
import io.drplane.events.GroupReprotected;
import io.drplane.events.LagStatus;
import io.drplane.events.Reason;
import io.drplane.events.ReasonCode;
import io.drplane.events.ReprotectHeld;
import io.drplane.events.ReprotectStepCompleted;
import io.drplane.events.SetCapacity;
import io.drplane.events.SnapshotDatabase;
import io.drplane.events.Verify;
import io.drplane.events.VerifyCheck;
import io.drplane.events.VerifyKind;
import io.drplane.plan.Capacity;
import io.drplane.plan.Database;
import io.drplane.plan.Dns;
import io.drplane.plan.Group;
import io.drplane.plan.Region;
import io.drplane.plan.ReplicationLink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs re-protect's steps ({@link ReprotectRunbook}) in the old primary's region. Its verify step waits until the
 * lag on the new link is measured, after re-protect started, within the RPO. A step out of retries holds the phase
 * (nothing is undone, nothing more goes out) until a person approves going on: {@code drplane approve GROUP}.
 */
public final class ReprotectRunner extends StepRunner<ReprotectRun> {

    @Override
    protected List<Step> steps(ReprotectRun run, RunContext context) {
        return ReprotectRunbook.forGroup(context.group(), run.oldPrimary(), run.newPrimary())
                .map(ReprotectRunbook::steps)
                .orElse(List.of());
    }

    @Override
    protected Command command(Step step, ReprotectRun run, String commandId, RunContext context) {
        return command(context.group(), step, run, commandId, context.now(), context.evidence());
    }

    /** The command of one re-protect step, for the old primary's executor (public for tests and tools). */
    public Command command(Group group, Step step, ReprotectRun run, String commandId, Instant now, Evidence evidence) {
        Region old = group.region(run.oldPrimary()).orElseThrow();
        Region current = group.region(run.newPrimary()).orElseThrow();
        long timeout = step.timeout().toMillis();
        Reason reason = Reason.of(
                ReasonCode.RUNBOOK_STEP,
                step.name() + " of re-protect " + run.id() + ": " + current.name() + " is primary, " + old.name()
                        + " becomes its standby again.");
        return switch (step.action()) {
            case SNAPSHOT_DATABASE -> new SnapshotDatabase(
                    group.id(),
                    commandId,
                    run.id(),
                    old.name(),
                    run.epoch(),
                    now,
                    timeout,
                    false,
                    kind(old.database()),
                    old.database().identifier(),
                    ReprotectRunbook.snapshotName(group.id(), old.name(), run.failoverEpoch()),
                    reason,
                    evidence);
            case FENCE_DATABASE -> new FenceDatabase(
                    group.id(),
                    commandId,
                    run.id(),
                    old.name(),
                    run.epoch(),
                    now,
                    timeout,
                    false,
                    kind(old.database()),
                    old.database().identifier(),
                    ReprotectRunbook.fencedName(old.database().identifier(), run.failoverEpoch()),
                    current.database().identifier(),
                    reason,
                    evidence);
            case CREATE_REPLICA -> new CreateReplica(
                    group.id(),
                    commandId,
                    run.id(),
                    old.name(),
                    run.epoch(),
                    now,
                    timeout,
                    false,
                    kind(old.database()),
                    old.database().identifier(),
                    current.name(),
                    current.database().identifier(),
                    old.database().globalClusterIdentifier(),
                    reason,
                    evidence);
            case SET_CAPACITY -> {
                Capacity standby = old.compute().standby(group.strategy());
                yield new SetCapacity(
                        group.id(),
                        commandId,
                        run.id(),
                        old.name(),
                        run.epoch(),
                        now,
                        timeout,
                        false,
                        old.compute().autoScalingGroup(),
                        standby.min(),
                        standby.desired(),
                        standby.max(),
                        standby.min(),
                        true,
                        reason,
                        evidence);
            }
            case VERIFY -> new Verify(
                    group.id(),
                    commandId,
                    run.id(),
                    old.name(),
                    run.epoch(),
                    now,
                    timeout,
                    false,
                    checks(group, old, current),
                    reason,
                    evidence);
            default -> throw new IllegalStateException(step.action() + " is not a re-protect step");
        };
    }

    private static DatabaseKind kind(Database database) {
        return switch (database.kind()) {
            case RDS_INSTANCE -> DatabaseKind.RDS_INSTANCE;
            case RDS_CLUSTER, AURORA_GLOBAL -> DatabaseKind.RDS_CLUSTER;
        };
    }

    private static List<VerifyCheck> checks(Group group, Region old, Region current) {
        List<VerifyCheck> checks = new ArrayList<>();
        if (ReprotectRunbook.replicatesDatabase(group, old, current)
                && old.database().kind() == Database.Kind.RDS_INSTANCE) {
            checks.add(new VerifyCheck(
                    VerifyKind.DATABASE_REPLICATING_FROM,
                    old.database().identifier(),
                    current.database().identifier()));
        }
        if (old.compute() != null) {
            checks.add(new VerifyCheck(
                    VerifyKind.CAPACITY_IN_SERVICE,
                    old.compute().autoScalingGroup(),
                    Integer.toString(old.compute().standby(group.strategy()).min())));
        }
        if (group.dns() != null && old.dnsRecord() != null) {
            checks.add(new VerifyCheck(
                    VerifyKind.DNS_RECORD_ROLE,
                    old.dnsRecord().setIdentifier(),
                    group.dns().routing() == Dns.Routing.FAILOVER ? "SECONDARY" : "0"));
        }
        return checks;
    }

    /** The link re-protect creates: from the new primary into the old primary's region. */
    public static ReplicationLink link(Group group, ReprotectRun run) {
        return group.linkBetween(run.newPrimary(), run.oldPrimary()).orElse(null);
    }

    @Override
    protected boolean waits(Step step, ReprotectRun run, RunContext context) {
        if (!step.awaitHealthy()) {
            return false;
        }
        ReplicationLink link = link(context.group(), run);
        if (link == null
                || !ReprotectRunbook.replicatesDatabase(
                        context.group(),
                        context.group().region(run.oldPrimary()).orElseThrow(),
                        context.group().region(run.newPrimary()).orElseThrow())) {
            return false; // compute only: nothing replicates
        }
        return !replicatingWithinRpo(context.lag(link.name()), run, context);
    }

    /** A lag measured since re-protect started (not one left from an earlier life of the link), within the RPO. */
    private static boolean replicatingWithinRpo(LagView lag, ReprotectRun run, RunContext context) {
        return lag != null
                && lag.status() == LagStatus.MEASURED
                && lag.lagMillis() != null
                && lag.observedAt().isAfter(run.startedAt())
                && lag.lagMillis() <= context.group().objectives().rpo().toMillis();
    }

    @Override
    protected void stepCompleted(ReprotectRun run, Step step, StepRun s, RunContext context) {
        Group group = context.group();
        Map<String, String> details = new LinkedHashMap<>();
        Region old = group.region(run.oldPrimary()).orElseThrow();
        String snapshot = old.database() == null
                ? null
                : ReprotectRunbook.snapshotName(group.id(), old.name(), run.failoverEpoch());
        switch (step.action()) {
            case SNAPSHOT_DATABASE -> details.put("snapshot", snapshot);
            case FENCE_DATABASE -> details.put(
                    "fencedAs", ReprotectRunbook.fencedName(old.database().identifier(), run.failoverEpoch()));
            case CREATE_REPLICA -> details.put("replica", old.database().identifier());
            default -> {}
        }
        context.emit(new ReprotectStepCompleted(
                group.id(),
                run.id(),
                run.epoch(),
                step.name(),
                s.commandId(),
                old.name(),
                Duration.between(s.issuedAt(), context.now()).toMillis(),
                details,
                context.now(),
                Reason.of(
                        ReasonCode.STEP_SUCCEEDED,
                        step.name() + " succeeded in " + old.name() + " (attempt " + s.attempt() + ")"
                                + (step.action() == StepAction.VERIFY
                                        ? " and the new link's lag is within the RPO."
                                        : "."))));
        if (step.action() == StepAction.SNAPSHOT_DATABASE) {
            Long exposure = run.rpoExposureMillis();
            context.emit(new FinalSnapshotTaken(
                    group.id(),
                    run.id(),
                    run.failoverId(),
                    old.name(),
                    old.database().identifier(),
                    snapshot,
                    exposure,
                    context.now(),
                    Reason.of(
                            ReasonCode.FINAL_SNAPSHOT_TAKEN,
                            "the old primary " + old.database().identifier() + " is kept in snapshot " + snapshot
                                    + "; failover " + run.failoverId() + " accepted "
                                    + (exposure == null ? "an unknown lag" : exposure + " ms of lag")
                                    + ", writes to reconcile from it.")));
        }
    }

    @Override
    protected ReprotectRun exhausted(ReprotectRun failed, Step step, Reason why, RunContext context) {
        context.emit(new ReprotectHeld(
                context.group().id(),
                failed.id(),
                failed.failoverId(),
                failed.oldPrimary(),
                failed.newPrimary(),
                "fix what failed, then retry the step: drplane approve "
                        + context.group().id(),
                context.now(),
                Reason.of(
                        ReasonCode.REPROTECT_STEP_FAILED,
                        sentence(why.message()) + " " + step.name()
                                + " has no retries left; re-protect holds (nothing is undone)."),
                context.evidence()));
        return failed.heldFor(ReasonCode.REPROTECT_STEP_FAILED);
    }

    @Override
    protected void completed(ReprotectRun run, RunContext context) {
        Group group = context.group();
        ReplicationLink link = link(group, run);
        LagView lag = link == null ? null : context.lag(link.name());
        var from = run.regionUpAt() != null ? run.regionUpAt() : run.neededSince();
        long took = Duration.between(from, context.now()).toMillis();
        context.emit(new GroupReprotected(
                group.id(),
                run.id(),
                run.failoverId(),
                run.newPrimary(),
                run.oldPrimary(),
                link == null ? "-" : link.name(),
                took,
                lag == null ? null : lag.lagMillis(),
                context.now(),
                Reason.of(
                        ReasonCode.REPROTECTED,
                        run.newPrimary() + " is protected again: " + run.oldPrimary()
                                + (lag == null
                                        ? " is its standby"
                                        : " replicates from it, " + lag.lagMillis() + " ms behind, within the RPO of "
                                                + group.objectives().rpo().toMillis() + " ms")
                                + "; re-protected " + took + " ms after " + run.oldPrimary() + " was up."),
                context.evidence()));
    }
}
