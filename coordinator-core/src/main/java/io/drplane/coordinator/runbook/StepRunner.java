package io.drplane.coordinator.runbook;

import io.drplane.coordinator.state.StepRun;
import io.drplane.coordinator.state.StepsRun;
import io.drplane.events.Command;
import io.drplane.events.Reason;
import io.drplane.events.ReasonCode;
import java.time.Instant;
import java.util.List;

/**
 * Runs the steps of a runbook, one input at a time, as part of the decider (pure: no I/O, time from the context). It
 * issues each step's command once the steps it waits for are done, retries a failed or timed-out step while its budget
 * lasts, completes a step when its command succeeded (and what the step waits for holds), and completes the run when
 * every step is done. Steps move only through {@link StepTransition}s. A failover and the re-protect after it differ
 * in their steps, their commands and what they say: the subclasses.
 */
public abstract class StepRunner<R extends StepsRun<R>> {

    /**
     * Where a run stands after an input.
     *
     * @param run       the run still going (or held), null once it ended
     * @param completed the run that completed with this input, null otherwise
     */
    public record Progress<R>(R run, R completed) {}

    protected abstract List<Step> steps(R run, RunContext context);

    protected abstract Command command(Step step, R run, String commandId, RunContext context);

    /** Whether a step whose command succeeded still waits (for its region to be UP, for replication). */
    protected abstract boolean waits(Step step, R run, RunContext context);

    protected abstract void stepCompleted(R run, Step step, StepRun s, RunContext context);

    /** A step failed with no retries left: what the run becomes (null: it ended). */
    protected abstract R exhausted(R failed, Step step, Reason why, RunContext context);

    protected abstract void completed(R run, RunContext context);

    /** A run just started: issue its first steps. */
    public R begin(R run, RunContext context) {
        return issueReadySteps(run, context);
    }

    /** A command result for the run: the step that issued it completes, waits, retries or fails. */
    public R onResult(R run, String commandId, boolean succeeded, Reason failure, RunContext context) {
        for (Step step : steps(run, context)) {
            StepRun s = run.steps().get(step.name());
            if (s.status() != StepRun.Status.ISSUED || !commandId.equals(s.commandId())) {
                continue;
            }
            if (!succeeded) {
                return retryOrFail(run, step, s, failure, context);
            }
            if (waits(step, run, context)) {
                return run.withStep(
                        step.name(), StepTransition.AWAIT_HEALTHY.apply(s, step.name(), context.now(), null));
            }
            return completeStep(run, step, s, context);
        }
        return run; // not a command of this run's steps (a late answer to an earlier attempt, say)
    }

    /** Time and health moved: time out steps, complete those that waited, issue the next, finish. */
    public Progress<R> advance(R run, RunContext context) {
        Instant now = context.now();
        for (Step step : steps(run, context)) {
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
                    return new Progress<>(null, null);
                }
            }
            StepRun current = run.steps().get(step.name());
            if (current.status() == StepRun.Status.ISSUED && current.commandDone() && !waits(step, run, context)) {
                run = completeStep(run, step, current, context);
            }
        }
        if (run.steps().values().stream().anyMatch(s -> s.status() == StepRun.Status.FAILED)) {
            return new Progress<>(run, null); // held on a failed step: nothing more goes out
        }
        run = issueReadySteps(run, context);
        if (run.steps().values().stream().allMatch(s -> s.status() == StepRun.Status.DONE)) {
            completed(run, context);
            return new Progress<>(null, run);
        }
        return new Progress<>(run, null);
    }

    /** Every failed step gets a new budget and goes out again (a person approved going on). */
    public R resume(R run, RunContext context) {
        for (Step step : steps(run, context)) {
            StepRun s = run.steps().get(step.name());
            if (s.status() == StepRun.Status.FAILED) {
                run = run.withStep(step.name(), StepTransition.RESUME.apply(s, step.name(), context.now(), null));
            }
        }
        return issueReadySteps(run, context);
    }

    private R completeStep(R run, Step step, StepRun s, RunContext context) {
        R next = run.withStep(step.name(), StepTransition.COMPLETE.apply(s, step.name(), context.now(), null));
        stepCompleted(run, step, s, context);
        return next;
    }

    /** The next attempt while the step's budget lasts; otherwise what {@link #exhausted} makes of the run. */
    private R retryOrFail(R run, Step step, StepRun s, Reason why, RunContext context) {
        if (s.attempt() <= step.retries()) {
            return issue(run, step, StepTransition.RETRY, s, context);
        }
        R failed = run.withStep(step.name(), StepTransition.FAIL.apply(s, step.name(), context.now(), null));
        return exhausted(failed, step, why, context);
    }

    private R issueReadySteps(R run, RunContext context) {
        for (Step step : steps(run, context)) {
            StepRun s = run.steps().get(step.name());
            R current = run;
            boolean ready = s.status() == StepRun.Status.PENDING
                    && step.after().stream()
                            .allMatch(a -> current.steps().get(a).status() == StepRun.Status.DONE);
            if (ready) {
                run = issue(run, step, StepTransition.ISSUE, s, context);
            }
        }
        return run;
    }

    private R issue(R run, Step step, StepTransition transition, StepRun s, RunContext context) {
        int attempt = transition == StepTransition.ISSUE ? 1 : s.attempt() + 1;
        String commandId = run.id() + ":" + step.name() + ":" + attempt;
        R next = run.withStep(step.name(), transition.apply(s, step.name(), context.now(), commandId));
        context.emit(command(step, next, commandId, context));
        return next;
    }

    protected static String sentence(String text) {
        return text.endsWith(".") ? text : text + ".";
    }
}
