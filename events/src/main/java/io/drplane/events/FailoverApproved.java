package io.drplane.events;

import jakarta.annotation.Nullable;
import java.time.Instant;

/**
 * An operator approved a held failover: the one named by {@code failoverId}, past the refusal named by {@code
 * overrides} (the reason it was held for when the operator approved). An approval that names another failover or
 * another refusal than the one held now approves nothing, and an approval holds for the plan's approvalExpiry.
 */
public record FailoverApproved(
        String group,
        @Nullable String failoverId,
        String principal,
        @Nullable String comment,
        Instant at,
        @Nullable ReasonCode overrides)
        implements GroupEvent {

    /** An approval that names no refusal (as written before approvals named one): it approves nothing. */
    public FailoverApproved(
            String group, @Nullable String failoverId, String principal, @Nullable String comment, Instant at) {
        this(group, failoverId, principal, comment, at, null);
    }
}
