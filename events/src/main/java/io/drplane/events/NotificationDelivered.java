package io.drplane.events;

import java.time.Instant;
import java.util.List;

/**
 * A notification about an alert was delivered to a route's channel.
 *
 * @param alertKey     the alert's stable key, like {@code failover/shop} or {@code rpo/shop/BACKUP_RULE/daily}
 * @param aboutEventId the newest event the notification tells of
 * @param eventIds     every event it covers (a grouped notification covers several); never sent twice to the route
 */
public record NotificationDelivered(
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
        Instant at)
        implements GroupEvent {
    public NotificationDelivered {
        eventIds = List.copyOf(eventIds);
    }
}
