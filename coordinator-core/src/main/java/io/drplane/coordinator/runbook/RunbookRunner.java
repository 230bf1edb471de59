package io.drplane.coordinator.runbook;

import io.drplane.coordinator.state.FailoverRun;
import io.drplane.coordinator.state.StepRun;
import io.drplane.events.FailoverCompleted;
import io.drplane.events.FailoverFailed;
import io.drplane.events.FailoverStepCompleted;
import io.drplane.events.Reason;
import io.drplane.events.ReasonCode;
import io.drplane.events.RegionHealth;
import io.drplane.plan.Group;
import java.time.Duration;
import java.time.Instant;

/**
 * Runs a failover's runbook, one input at a time, as part of the decider (pure: no I/O, time from the context). It
 * issues each step's command once the steps it waits for are done, retries a failed or timed-out step while its budget
 * lasts, completes a step when its command succeeded (and the target region is UP, for steps that wait for that), and
 * completes the failover when every step is done. Steps move only through {@link StepTransition}s.
 */
public final class RunbookRunner {

    private final CommandFactory commands = new CommandFactory();

    /**
     * Where a failover stands after an input.
     *
     * @param run       the failover still running, null once it ended (completed or failed)
     * @param completed the failover that completed with this input, null otherwise
     */
    public record Progress(FailoverRun run, FailoverRun completed) {}

    /** A failover just started: issue its first steps. */
    public FailoverRun begin(FailoverRun run, RunContext context) {
        return issueReadySteps(run, context);
    }

    /** A command result for the failover: the step that issued it completes, waits for health, retries or fails. */
    public FailoverRun onResult(
            FailoverRun run, String commandId, boolean succeeded, Reason failure, RunContext context) {
        Group group = context.group();
        for (Step step : Runbook.forGroup(group, run.to()).steps()) {
            StepRun s = run.steps().get(step.name());
            if (s.status() != StepRun.Status.ISSUED || !commandId.equals(s.commandId())) {
                continue;
            }
            if (!succeeded) {
                return retryOrFail(run, step, s, failure, context);
            }
            if (step.awaitHealthy() && !run.dryRun() && context.health(run.to()) != RegionHealth.UP) {
                return run.withStep(
                        step.name(), StepTransition.AWAIT_HEALTHY.apply(s, step.name(), context.now(), null));
            }
            return completeStep(run, step, s, context);
        }
        return run; // not a command of this failover's steps (a late answer to an earlier attempt, say)
    }

    /** Time and health moved: time out steps, complete those that waited for health, issue the next, finish. */
    public Progress advance(FailoverRun run, RunContext context) {
        Instant now = context.now();
        for (Step step : Runbook.forGroup(context.group(), run.to()).steps()) {
            StepRun s = run.steps().get(step.name());
            if (s.status() == StepRun.Status.ISSUED
                    && !now.isBefore(s.issuedAt().plus(step.timeout()))) {
                run = retryOrFail(
                        run,
                        step,
                        s,
                        Reason.of(
                                ReasonCode.STEP_TIMED_OUT,
                                step.name() + " did not finish within "
                                        + step.timeout().toSeconds() + " s (attempt " + s.attempt() + ")."),
                        context);
                if (run == null) {
                    return new Progress(null, null);
                }
            }
            StepRun current = run.steps().get(step.name());
            if (current.status() == StepRun.Status.ISSUED
                    && current.commandDone()
                    && step.awaitHealthy()
                    && (run.dryRun() || context.health(run.to()) == RegionHealth.UP)) {
                run = completeStep(run, step, current, context);
            }
        }
        run = issueReadySteps(run, context);
        if (run.steps().values().stream().allMatch(s -> s.status() == StepRun.Status.DONE)) {
            complete(run, context);
            return new Progress(null, run);
        }
        return new Progress(run, null);
    }

    private FailoverRun completeStep(FailoverRun run, Step step, StepRun s, RunContext context) {
        FailoverRun next =
                run.withStep(step.name(), StepTransition.COMPLETE.apply(s, step.name(), context.now(), null));
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
        return next;
    }

    /** The next attempt while the step's budget lasts; otherwise the failover fails (null). */
    private FailoverRun retryOrFail(FailoverRun run, Step step, StepRun s, Reason why, RunContext context) {
        if (s.attempt() <= step.retries()) {
            return issue(run, step, StepTransition.RETRY, s, context);
        }
        FailoverRun failed = run.withStep(step.name(), StepTransition.FAIL.apply(s, step.name(), context.now(), null));
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

    private FailoverRun issueReadySteps(FailoverRun run, RunContext context) {
        for (Step step : Runbook.forGroup(context.group(), run.to()).steps()) {
            StepRun s = run.steps().get(step.name());
            FailoverRun current = run;
            boolean ready = s.status() == StepRun.Status.PENDING
                    && step.after().stream()
                            .allMatch(a -> current.steps().get(a).status() == StepRun.Status.DONE);
            if (ready) {
                run = issue(run, step, StepTransition.ISSUE, s, context);
            }
        }
        return run;
    }

    private FailoverRun issue(FailoverRun run, Step step, StepTransition transition, StepRun s, RunContext context) {
        int attempt = transition == StepTransition.ISSUE ? 1 : s.attempt() + 1;
        String commandId = run.id() + ":" + step.name() + ":" + attempt;
        FailoverRun next = run.withStep(step.name(), transition.apply(s, step.name(), context.now(), commandId));
        context.emit(commands.command(context.group(), step, next, commandId, context.now(), context.evidence()));
        return next;
    }

    private static void complete(FailoverRun run, RunContext context) {
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

    private static String sentence(String text) {
        return text.endsWith(".") ? text : text + ".";
    }
}
