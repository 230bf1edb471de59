package io.drplane.events;

import java.time.Instant;
import java.util.List;

/**
 * A notification could not be delivered: after its retries, or at once when the destination refused it for good.
 *
 * @param error the last error, with any credential in it masked
 */
public record NotificationFailed(
        String group,
        NotificationChannel channel,
        String route,
        String alertKey,
        AlertStatus status,
        AlertSeverity severity,
        String aboutEventId,
        String aboutType,
        List<String> eventIds,
        int attempts,
        String error,
        Instant at,
        Reason reason)
        implements GroupEvent {
    public NotificationFailed {
        eventIds = List.copyOf(eventIds);
    }
}
