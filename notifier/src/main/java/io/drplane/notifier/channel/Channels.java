package io.drplane.notifier.channel;

import io.drplane.notifier.alert.Dispatch;
import io.drplane.notifier.delivery.HttpSender;
import io.drplane.plan.Group;
import io.drplane.plan.NotificationRoute;
import io.drplane.plan.Plan;
import io.drplane.runtime.secrets.SecretResolver;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.net.URI;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Every route of the plan as a channel, built once at start: credentials are resolved here, so a reference that does
 * not resolve stops the notifier at start, naming the group, the route and the reference (never a value).
 */
public final class Channels implements Function<Dispatch, Channel> {

    /** What channels need besides the plan. */
    public record Settings(
            URI pagerDutyEndpoint,
            Links links,
            Optional<Session> smtp,
            Optional<InternetAddress> mailFrom,
            Function<String, SnsClient> snsInRegion) {}

    private final Map<String, Channel> byRoute = new HashMap<>();

    public Channels(Plan plan, SecretResolver secrets, HttpSender http, Settings settings, Clock clock) {
        for (Group group : plan.groups()) {
            String region = group.regions().get(0).name();
            for (NotificationRoute route : group.notifications()) {
                byRoute.put(key(group.id(), route.name()), build(group, route, region, secrets, http, settings, clock));
            }
        }
    }

    private static Channel build(
            Group group,
            NotificationRoute route,
            String region,
            SecretResolver secrets,
            HttpSender http,
            Settings settings,
            Clock clock) {
        String where = "group " + group.id() + ", route " + route.name();
        return switch (route.channel()) {
            case SLACK -> new SlackChannel(
                    route.name(), URI.create(secret(secrets, route.secret(), region, where)), http, settings.links());
            case PAGERDUTY -> new PagerDutyChannel(
                    route.name(),
                    secret(secrets, route.secret(), region, where),
                    settings.pagerDutyEndpoint(),
                    http,
                    settings.links());
            case WEBHOOK -> new WebhookChannel(
                    route.name(),
                    route.url(),
                    route.format(),
                    route.secret() == null
                            ? null
                            : new WebhookSignature(secret(secrets, route.secret(), region, where)),
                    http,
                    settings.links(),
                    clock);
            case SNS -> new SnsChannel(
                    route.name(),
                    route.topicArn(),
                    settings.snsInRegion().apply(route.topicArn().split(":")[3]));
            case EMAIL -> new EmailChannel(
                    route.name(),
                    settings.smtp()
                            .orElseThrow(() -> new IllegalStateException(where
                                    + " sends e-mail, but no SMTP server is configured: set DRPLANE_NOTIFIER_SMTP_HOST"
                                    + " (and _PORT, _USERNAME, _PASSWORD, _FROM)")),
                    settings.mailFrom().orElseGet(Channels::defaultFrom),
                    route.to(),
                    settings.links(),
                    clock);
        };
    }

    private static String secret(SecretResolver secrets, String reference, String region, String where) {
        try {
            return secrets.resolve(reference, region);
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    where + ": the credential " + reference + " did not resolve: " + e.getMessage());
        }
    }

    private static InternetAddress defaultFrom() {
        try {
            return new InternetAddress("drplane@localhost");
        } catch (AddressException e) {
            throw new IllegalStateException(e);
        }
    }

    static String key(String group, String route) {
        return group + "\u0000" + route;
    }

    @Override
    public Channel apply(Dispatch dispatch) {
        Channel channel = byRoute.get(key(dispatch.group(), dispatch.route().name()));
        if (channel == null) {
            throw new IllegalStateException(
                    "no channel for route " + dispatch.route().name() + " of " + dispatch.group());
        }
        return channel;
    }
}
