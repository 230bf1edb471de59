package io.drplane.notifier.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drplane.events.codec.EventCodec;
import io.drplane.notifier.alert.AlertView;
import io.drplane.notifier.alert.Dispatch;
import io.drplane.notifier.delivery.DeliveryException;
import io.drplane.notifier.delivery.HttpSender;
import io.drplane.plan.NotificationRoute.WebhookFormat;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A generic webhook. {@code CLOUDEVENTS}: the CloudEvent of the alert's newest event ({@code application/cloudevents+json}),
 * or a CloudEvents batch when a notification covers several alerts. {@code ALERTMANAGER}: Alertmanager's webhook body
 * (version 4), so receivers written for Alertmanager work unchanged. Signed with Standard Webhooks headers when the
 * route has a secret; the {@code webhook-id} is stable for a dispatch, so a receiver can drop a retried duplicate.
 */
public final class WebhookChannel implements Channel {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String route;
    private final URI url;
    private final WebhookFormat format;
    private final WebhookSignature signature;
    private final HttpSender http;
    private final Links links;
    private final Clock clock;

    public WebhookChannel(
            String route,
            URI url,
            WebhookFormat format,
            WebhookSignature signature,
            HttpSender http,
            Links links,
            Clock clock) {
        this.route = route;
        this.url = url;
        this.format = format;
        this.signature = signature;
        this.http = http;
        this.links = links;
        this.clock = clock;
    }

    @Override
    public void send(Dispatch dispatch) throws DeliveryException {
        Map<String, String> headers = new LinkedHashMap<>();
        String body;
        if (format == WebhookFormat.ALERTMANAGER) {
            headers.put("Content-Type", "application/json");
            body = alertmanager(dispatch);
        } else if (dispatch.alerts().size() == 1) {
            headers.put("Content-Type", EventCodec.CONTENT_TYPE + "; charset=UTF-8");
            body = cloudEvent(dispatch.alerts().get(0)).toString();
        } else {
            headers.put("Content-Type", "application/cloudevents-batch+json; charset=UTF-8");
            ArrayNode batch = JSON.createArrayNode();
            dispatch.alerts().forEach(a -> batch.add(cloudEvent(a)));
            body = batch.toString();
        }
        if (signature != null) {
            headers.putAll(
                    signature.headers(messageId(dispatch), clock.instant().getEpochSecond(), body));
        }
        http.post(url, headers, body, destination());
    }

    private static JsonNode cloudEvent(AlertView alert) {
        try {
            return JSON.readTree(EventCodec.instance().encode(alert.latest()));
        } catch (IOException e) {
            throw new IllegalStateException("an event drplane encoded does not parse as JSON", e);
        }
    }

    /** Alertmanager's webhook body, version 4: one alert per drplane alert, labels for routing, annotations for people. */
    String alertmanager(Dispatch dispatch) {
        ObjectNode body = JSON.createObjectNode();
        boolean firing = dispatch.alerts().stream().anyMatch(AlertView::firing);
        body.put("version", "4");
        body.put("groupKey", "{}:{group=\"" + dispatch.group() + "\", route=\"" + route + "\"}");
        body.put("truncatedAlerts", 0);
        body.put("status", firing ? "firing" : "resolved");
        body.put("receiver", route);
        body.putObject("groupLabels").put("group", dispatch.group());
        body.putObject("commonLabels").put("group", dispatch.group()).put("source", "drplane");
        body.putObject("commonAnnotations");
        body.put("externalURL", links.group(dispatch.group()).orElse(""));
        ArrayNode alerts = body.putArray("alerts");
        for (AlertView alert : dispatch.alerts()) {
            ObjectNode a = alerts.addObject();
            a.put("status", alert.firing() ? "firing" : "resolved");
            ObjectNode labels = a.putObject("labels");
            labels.put("alertname", alert.latest().type().shortName());
            labels.put("group", alert.group());
            labels.put("severity", alert.severity().name().toLowerCase(Locale.ROOT));
            labels.put("alert_key", alert.key());
            ObjectNode annotations = a.putObject("annotations");
            annotations.put("summary", alert.title());
            annotations.put("description", alert.sentence());
            annotations.put("reason_code", alert.reasonCode());
            a.put("startsAt", alert.firstFiredAt().toString());
            a.put(
                    "endsAt",
                    alert.firing()
                            ? "0001-01-01T00:00:00Z"
                            : alert.latest().time().toString());
            a.put("generatorURL", links.group(alert.group()).orElse(""));
            a.put("fingerprint", fingerprint(alert.key()));
        }
        return body.toString();
    }

    static String messageId(Dispatch dispatch) {
        List<String> parts = dispatch.eventIds().isEmpty()
                ? dispatch.alerts().stream()
                        .map(a -> a.key() + "@" + a.latest().id())
                        .toList()
                : dispatch.eventIds();
        return "msg_" + fingerprint(dispatch.route().name() + "|" + String.join(",", parts));
    }

    static String fingerprint(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    @Override
    public double perSecond() {
        return 200;
    }

    @Override
    public String destination() {
        return "webhook route " + route + " (" + url.getHost() + ")";
    }
}
