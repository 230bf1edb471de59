package io.drplane.events;

import jakarta.annotation.Nullable;
import java.time.Instant;

/** An operator asked for a drill: the failover is decided and recorded, commands run dry. */
public record DrillRequested(String group, String targetRegion, String principal, @Nullable String comment, Instant at)
        implements GroupEvent {}
