package io.drplane.events;

import jakarta.annotation.Nullable;
import java.time.Instant;

/** An operator asked to abort a failover in progress. */
public record FailoverAbortRequested(
        String group, String failoverId, String principal, @Nullable String comment, Instant at)
        implements GroupEvent {}
