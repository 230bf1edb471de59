package io.drplane.coordinator.runbook;

import io.drplane.coordinator.state.StepRun;
import java.util.Arrays;
import java.util.stream.Collectors;

/** A runbook step was asked to make a move its status does not allow. */
public class IllegalStepTransitionException extends IllegalStateException {
    public IllegalStepTransitionException(String step, StepTransition transition, StepRun.Status status) {
        super("step " + step + " cannot " + transition + " from " + status + "; legal: "
                + Arrays.stream(StepTransition.values())
                        .map(t -> t + " " + t.from() + "->" + t.to())
                        .collect(Collectors.joining(", ")));
    }
}
