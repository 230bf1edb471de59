package io.drplane.events;

import jakarta.annotation.Nullable;
import java.time.Instant;

/** How far one replication link's target is behind its source. */
public record ReplicationLagObserved(
        String group,
        String link,
        String sourceRegion,
        String targetRegion,
        LagStatus status,
        @Nullable Long lagMillis,
        @Nullable Long bytesBehind,
        LagMethod method,
        Instant observedAt,
        @Nullable String detail)
        implements GroupEvent {}
