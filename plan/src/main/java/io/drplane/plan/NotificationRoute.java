package io.drplane.plan;

import jakarta.annotation.Nullable;
import java.net.URI;
import java.util.List;

/** Where notifications about a group go, and which event types they cover. */
public record NotificationRoute(
        String name,
        Channel channel,
        @Nullable URI url,
        @Nullable String routingKey,
        @Nullable String topicArn,
        List<String> to,
        List<String> events) {
    public NotificationRoute {
        to = List.copyOf(to);
        events = List.copyOf(events);
    }

    public enum Channel {
        SLACK,
        WEBHOOK,
        PAGERDUTY,
        SNS,
        EMAIL
    }
}
