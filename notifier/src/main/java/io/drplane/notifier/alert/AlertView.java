package io.drplane.notifier.alert;

import io.drplane.events.AlertSeverity;
import io.drplane.events.AlertStatus;
import io.drplane.events.Event;
import java.time.Instant;
import java.util.Map;

/**
 * An alert as a notification shows it: its state after the newest event that touched it.
 *
 * @param openedBy the id of the event that opened it: what threads its notifications (e-mail's first message)
 * @param news its newest event is worth telling even without a firing alert before it (a completed failover)
 */
public record AlertView(
        String key,
        String group,
        AlertStatus status,
        AlertSeverity severity,
        String title,
        String reasonCode,
        String sentence,
        Map<String, String> details,
        Instant firstFiredAt,
        String openedBy,
        Event<?> latest,
        boolean news) {

    public boolean firing() {
        return status == AlertStatus.FIRING;
    }
}
