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
        @Nullable String principal,
        @Nullable ReasonCode approvedPast,
        @Nullable Instant approvedAt) {

    public Pending(
            String failoverId,
            FailoverKind kind,
            String from,
            String to,
            Instant since,
            @Nullable ReasonCode heldFor,
            boolean approved,
            @Nullable String principal) {
        this(failoverId, kind, from, to, since, heldFor, approved, principal, null, null);
    }

    public Pending heldFor(ReasonCode code) {
        return new Pending(failoverId, kind, from, to, since, code, approved, principal, approvedPast, approvedAt);
    }

    /** {@code who} approved this failover at {@code at}, past the refusal {@code past} it was held for. */
    public Pending approvedBy(String who, ReasonCode past, Instant at) {
        return new Pending(failoverId, kind, from, to, since, heldFor, true, who, past, at);
    }

    /** The approval ran out: the failover is held again, and the hold is announced again. */
    public Pending approvalExpired() {
        return new Pending(failoverId, kind, from, to, since, null, false, principal, null, null);
    }
}
