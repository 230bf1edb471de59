package io.drplane.coordinator.state;

import io.drplane.events.FailoverKind;
import io.drplane.events.ReasonCode;
import jakarta.annotation.Nullable;
import java.time.Instant;

/**
 * A failover the coordinator wants but has not started: held by a safety rule, waiting for approval, or a planned
 * switchover waiting for zero lag. {@code heldFor} is the reason last published, so a hold is announced once per
 * reason, not on every event.
 */
public record Pending(
        String failoverId,
        FailoverKind kind,
        String from,
        String to,
        Instant since,
        @Nullable ReasonCode heldFor,
        boolean approved,
        @Nullable String principal) {

    public Pending heldFor(ReasonCode code) {
        return new Pending(failoverId, kind, from, to, since, code, approved, principal);
    }

    public Pending approvedBy(String who) {
        return new Pending(failoverId, kind, from, to, since, heldFor, true, who);
    }
}
