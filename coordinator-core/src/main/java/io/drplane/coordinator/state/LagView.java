package io.drplane.coordinator.state;

import io.drplane.events.LagStatus;
import jakarta.annotation.Nullable;
import java.time.Instant;

/** The latest lag observation of one replication link. */
public record LagView(
        String from, String to, LagStatus status, @Nullable Long lagMillis, Instant observedAt, String eventId) {}
