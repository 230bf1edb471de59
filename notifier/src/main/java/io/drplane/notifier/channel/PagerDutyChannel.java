package io.drplane.notifier.channel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drplane.notifier.alert.AlertView;
import io.drplane.notifier.alert.Dispatch;
import io.drplane.notifier.delivery.DeliveryException;
import io.drplane.notifier.delivery.HttpSender;
import java.net.URI;
import java.util.Locale;
import java.util.Map;

/**
 * PagerDuty Events API v2: a {@code trigger} per firing change and a {@code resolve} at the end, all with the alert's
 * key as {@code dedup_key}, so PagerDuty keeps one incident per alert. The routing key is the credential: it is in the
 * body only, never in an error.
 */
public final class PagerDutyChannel implements Channel {

    public static final URI EVENTS_API = URI.create("https://events.pagerduty.com/v2/enqueue");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String route;
    private final String routingKey;
    private final URI endpoint;
    private final HttpSender http;
    private final Links links;

    public PagerDutyChannel(String route, String routingKey, URI endpoint, HttpSender http, Links links) {
        this.route = route;
        this.routingKey = routingKey;
        this.endpoint = endpoint;
        this.http = http;
        this.links = links;
    }

    @Override
    public void send(Dispatch dispatch) throws DeliveryException {
        for (AlertView alert : dispatch.alerts()) {
            http.post(endpoint, Map.of("Content-Type", "application/json"), body(alert), destination());
        }
    }

    String body(AlertView alert) {
        ObjectNode event = JSON.createObjectNode();
        event.put("routing_key", routingKey);
        event.put("event_action", alert.firing() ? "trigger" : "resolve");
        event.put("dedup_key", alert.key());
        if (alert.firing()) {
            ObjectNode payload = event.putObject("payload");
            payload.put("summary", Texts.shorten(alert.title(), 1024));
            payload.put("severity", alert.severity().name().toLowerCase(Locale.ROOT));
            payload.put("source", "drplane/" + alert.group());
            payload.put(
                    "component",
                    alert.details().getOrDefault("region", alert.details().getOrDefault("regions", alert.group())));
            payload.put("group", alert.group());
            payload.put("class", alert.latest().type().shortName());
            payload.put("timestamp", alert.latest().time().toString());
            ObjectNode details = payload.putObject("custom_details");
            details.put("reason_code", alert.reasonCode());
            details.put("reason", alert.sentence());
            details.put("event_id", alert.latest().id());
            alert.details().forEach(details::put);
            links.group(alert.group()).ifPresent(url -> event.putArray("links")
                    .addObject()
                    .put("href", url)
                    .put("text", alert.group() + " in drplane"));
        }
        return event.toString();
    }

    @Override
    public double perSecond() {
        return 2;
    }

    @Override
    public String destination() {
        return "pagerduty route " + route;
    }
}
