package io.drplane.events;

/** Where a notification was sent. */
public enum NotificationChannel {
    SLACK,
    WEBHOOK,
    PAGERDUTY,
    SNS,
    EMAIL
}
