package io.drplane.events;

import jakarta.annotation.Nullable;
import java.time.Instant;

/** An operator asked for a planned switchover to another region (waits for zero lag). */
public record SwitchoverRequested(
        String group, String targetRegion, String principal, @Nullable String comment, Instant at)
        implements GroupEvent {}
