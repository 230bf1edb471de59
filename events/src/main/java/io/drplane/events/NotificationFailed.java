package io.drplane.events;

import java.time.Instant;

/** A notification could not be delivered after its retries. */
public record NotificationFailed(
        String group,
        NotificationChannel channel,
        String route,
        String aboutEventId,
        String aboutType,
        int attempts,
        String error,
        Instant at,
        Reason reason)
        implements GroupEvent {}
