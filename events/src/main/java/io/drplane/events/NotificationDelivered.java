package io.drplane.events;

import java.time.Instant;

/** A notification about an event was delivered to a channel. */
public record NotificationDelivered(
        String group,
        NotificationChannel channel,
        String route,
        String aboutEventId,
        String aboutType,
        int attempts,
        Instant at)
        implements GroupEvent {}
