package io.drplane.coordinator.runbook;

import io.drplane.coordinator.state.FailoverRun;
import io.drplane.coordinator.state.StepRun;
import io.drplane.events.Command;
import io.drplane.events.FailoverCompleted;
import io.drplane.events.FailoverFailed;
import io.drplane.events.FailoverStepCompleted;
import io.drplane.events.Reason;
import io.drplane.events.ReasonCode;
import io.drplane.events.RegionHealth;
import io.drplane.plan.Group;
import java.time.Duration;
import java.util.List;

/**
 * Runs a failover's runbook: steps that wait for health complete when the target region is UP by quorum; a step out
 * of retries fails the failover (a person must act); the failover completes, with its RTO and RPO, when every step
 * is done.
 */
public final class RunbookRunner extends StepRunner<FailoverRun> {

    private final CommandFactory commands = new CommandFactory();

    @Override
    protected List<Step> steps(FailoverRun run, RunContext context) {
        return Runbook.forGroup(context.group(), run.to()).steps();
    }

    @Override
    protected Command command(Step step, FailoverRun run, String commandId, RunContext context) {
        return commands.command(context.group(), step, run, commandId, context.now(), context.evidence());
    }

    @Override
    protected boolean waits(Step step, FailoverRun run, RunContext context) {
        return step.awaitHealthy() && !run.dryRun() && context.health(run.to()) != RegionHealth.UP;
    }

    @Override
    protected void stepCompleted(FailoverRun run, Step step, StepRun s, RunContext context) {
        context.emit(new FailoverStepCompleted(
                context.group().id(),
                run.id(),
                run.epoch(),
                step.name(),
                s.commandId(),
                run.to(),
                Duration.between(s.issuedAt(), context.now()).toMillis(),
                context.now(),
                Reason.of(
                        ReasonCode.STEP_SUCCEEDED,
                        step.name() + " succeeded in " + run.to() + " (attempt " + s.attempt() + ")"
                                + (step.awaitHealthy() ? " and the region is UP by quorum." : "."))));
    }

    @Override
    protected FailoverRun exhausted(FailoverRun failed, Step step, Reason why, RunContext context) {
        context.emit(new FailoverFailed(
                context.group().id(),
                failed.id(),
                failed.epoch(),
                step.name(),
                context.now(),
                Reason.of(
                        why.code(),
                        sentence(why.message()) + " No retries left; the failover stopped and a person must act."),
                context.evidence()));
        return null;
    }

    @Override
    protected void completed(FailoverRun run, RunContext context) {
        Group group = context.group();
        long rto = Duration.between(run.detectedAt(), context.now()).toMillis();
        context.emit(new FailoverCompleted(
                group.id(),
                run.id(),
                run.epoch(),
                run.from(),
                run.to(),
                rto,
                group.objectives().rto().toMillis(),
                run.rpoMillis(),
                group.objectives().rpo().toMillis(),
                context.now(),
                Reason.of(
                        ReasonCode.FAILOVER_VERIFIED,
                        run.to()
                                + (run.dryRun() ? " would serve (drill, nothing changed)" : " serves healthy traffic")
                                + "; RTO " + rto
                                + " ms of " + group.objectives().rto().toMillis() + " ms, RPO "
                                + (run.rpoMillis() == null ? "unknown" : run.rpoMillis() + " ms") + " of "
                                + group.objectives().rpo().toMillis() + " ms."),
                context.evidence()));
    }
}
