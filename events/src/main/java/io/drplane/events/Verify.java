package io.drplane.events;

import java.time.Instant;
import java.util.List;

/** Confirm the end state with describe calls. */
public record Verify(
        String group,
        String commandId,
        String failoverId,
        String region,
        long epoch,
        Instant issuedAt,
        long timeoutMillis,
        boolean dryRun,
        List<VerifyCheck> checks,
        Reason reason,
        Evidence evidence)
        implements Command {
    public Verify {
        checks = List.copyOf(checks);
    }
}
