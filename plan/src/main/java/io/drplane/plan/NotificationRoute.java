package io.drplane.plan;

import jakarta.annotation.Nullable;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Where notifications about a group go, and which event types they cover.
 *
 * @param url        a generic webhook's address (not a secret)
 * @param secret     a reference to the route's credential, resolved when the notifier starts: a Slack webhook's URL, a
 *                   PagerDuty routing key, or a webhook's signing secret ({@code env:NAME}, {@code ${NAME}},
 *                   {@code file:/path}, {@code secretsmanager:ID}, {@code ssm:/name}); never the credential itself
 * @param events     event types (without prefix and version) or families ({@code failover.*}) that fire alerts here;
 *                   the resolve of an alert this route was told of always follows it
 * @param grouping   how Slack, e-mail and webhook notifications are batched (PagerDuty and SNS get each change at once)
 * @param escalation where a critical alert goes when it still fires after a while; null for none
 * @param format     a webhook's body: the CloudEvent itself, or an Alertmanager (v4) webhook body
 */
public record NotificationRoute(
        String name,
        Channel channel,
        @Nullable URI url,
        @Nullable String secret,
        @Nullable String topicArn,
        List<String> to,
        List<String> events,
        Grouping grouping,
        @Nullable Escalation escalation,
        WebhookFormat format) {
    public NotificationRoute {
        to = List.copyOf(to);
        events = List.copyOf(events);
    }

    public enum Channel {
        SLACK,
        WEBHOOK,
        PAGERDUTY,
        SNS,
        EMAIL;

        /** Whether the channel batches alerts (Alertmanager's grouping) or gets every change at once. */
        public boolean grouped() {
            return this == SLACK || this == WEBHOOK || this == EMAIL;
        }
    }

    public enum WebhookFormat {
        CLOUDEVENTS,
        ALERTMANAGER
    }

    /**
     * Alertmanager's timers: wait {@code groupWait} after an alert group's first alert, send changes at most every
     * {@code groupInterval}, and repeat a still-firing alert every {@code repeatInterval}.
     */
    public record Grouping(Duration groupWait, Duration groupInterval, Duration repeatInterval) {
        public static final Grouping DEFAULT =
                new Grouping(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofHours(4));
    }

    /** A critical alert still firing {@code after} its first notification also goes to the route {@code route}. */
    public record Escalation(Duration after, String route) {}
}
