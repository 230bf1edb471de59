package io.drplane.coordinator.runbook;

import io.drplane.coordinator.state.StepRun;
import io.drplane.coordinator.state.StepRun.Status;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * The legal moves of a runbook step, as the breaker's are an enum: anything else is an
 * {@link IllegalStepTransitionException}. The runner changes a step only through these.
 */
public enum StepTransition {
    /** Its command goes out for the first time: every step it waits for is done. */
    ISSUE(Status.PENDING, Status.ISSUED),
    /** Its command failed or timed out and retries are left: the next attempt goes out. */
    RETRY(Status.ISSUED, Status.ISSUED),
    /** Its command succeeded, and the step still waits for the target region to be UP by quorum. */
    AWAIT_HEALTHY(Status.ISSUED, Status.ISSUED),
    /** Its command succeeded (and the region is UP, where the step waits for that). */
    COMPLETE(Status.ISSUED, Status.DONE),
    /** Its command failed or timed out with no retries left: the failover stops. */
    FAIL(Status.ISSUED, Status.FAILED),
    /** A person approved going on after a step failed for good: it gets a new budget of attempts. */
    RESUME(Status.FAILED, Status.PENDING);

    private final Status from;
    private final Status to;

    StepTransition(Status from, Status to) {
        this.from = from;
        this.to = to;
    }

    public Status from() {
        return from;
    }

    public Status to() {
        return to;
    }

    /** The step after this move; a step that is not in {@link #from()} cannot make it. */
    public StepRun apply(StepRun step, String stepName, Instant now, String commandId) {
        if (step.status() != from) {
            throw new IllegalStepTransitionException(stepName, this, step.status());
        }
        return switch (this) {
            case ISSUE -> new StepRun(to, 1, commandId, now, false);
            case RETRY -> new StepRun(to, step.attempt() + 1, commandId, now, false);
            case AWAIT_HEALTHY -> new StepRun(to, step.attempt(), step.commandId(), step.issuedAt(), true);
            case COMPLETE -> new StepRun(to, step.attempt(), step.commandId(), step.issuedAt(), true);
            case FAIL -> new StepRun(to, step.attempt(), step.commandId(), step.issuedAt(), false);
            case RESUME -> StepRun.pending();
        };
    }

    public static Optional<StepTransition> find(Status from, Status to) {
        return Arrays.stream(values()).filter(t -> t.from == from && t.to == to).findFirst();
    }
}
