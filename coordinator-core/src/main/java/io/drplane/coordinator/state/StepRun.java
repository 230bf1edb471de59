package io.drplane.coordinator.state;

import jakarta.annotation.Nullable;
import java.time.Instant;

/** Where one runbook step of a running failover is. */
public record StepRun(
        Status status, int attempt, @Nullable String commandId, @Nullable Instant issuedAt, boolean commandDone) {

    public enum Status {
        PENDING,
        ISSUED,
        DONE,
        FAILED
    }

    public static StepRun pending() {
        return new StepRun(Status.PENDING, 0, null, null, false);
    }
}
