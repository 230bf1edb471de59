package io.drplane.plan;

import jakarta.annotation.Nullable;
import java.net.URI;
import java.util.List;

/**
 * Where notifications about a group go, and which event types they cover.
 *
 * @param url    a generic webhook's address (not a secret)
 * @param secret a reference to the route's credential, resolved when the notifier starts: a Slack webhook's URL or a
 *               PagerDuty routing key ({@code env:NAME}, {@code ${NAME}}, {@code file:/path}, {@code secretsmanager:ID},
 *               {@code ssm:/name}); never the credential itself
 */
public record NotificationRoute(
        String name,
        Channel channel,
        @Nullable URI url,
        @Nullable String secret,
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
