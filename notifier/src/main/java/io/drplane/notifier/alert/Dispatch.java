package io.drplane.notifier.alert;

import io.drplane.events.AlertSeverity;
import io.drplane.plan.NotificationRoute;
import java.util.Comparator;
import java.util.List;

/**
 * One notification to send: to {@code route}, about {@code alerts} of {@code group}, covering {@code eventIds}.
 *
 * @param escalated the route got it because a critical alert outlived another route's escalation time
 */
public record Dispatch(
        NotificationRoute route, String group, List<AlertView> alerts, List<String> eventIds, boolean escalated) {
    public Dispatch {
        alerts = List.copyOf(alerts);
        eventIds = List.copyOf(eventIds);
    }

    /**
     * The most urgent alert: what a one-line summary or a page is about. Firing before resolved; among the resolved,
     * news (a completed failover) before an alert that merely ended, so the headline tells the story.
     */
    public AlertView lead() {
        return alerts.stream()
                .min(Comparator.comparing((AlertView a) -> !a.firing())
                        .thenComparing((AlertView a) -> !a.news())
                        .thenComparing(AlertView::severity))
                .orElseThrow();
    }

    /** The highest severity among firing alerts; INFO when everything is resolved. */
    public AlertSeverity severity() {
        return alerts.stream()
                .filter(AlertView::firing)
                .map(AlertView::severity)
                .min(Comparator.naturalOrder())
                .orElse(AlertSeverity.INFO);
    }
}
