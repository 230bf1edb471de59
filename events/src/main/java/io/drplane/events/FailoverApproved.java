package io.drplane.events;

import jakarta.annotation.Nullable;
import java.time.Instant;

/** An operator approved a held failover. */
public record FailoverApproved(
        String group, @Nullable String failoverId, String principal, @Nullable String comment, Instant at)
        implements GroupEvent {}
