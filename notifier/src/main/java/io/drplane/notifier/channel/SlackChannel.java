package io.drplane.notifier.channel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drplane.notifier.alert.AlertView;
import io.drplane.notifier.alert.Dispatch;
import io.drplane.notifier.delivery.DeliveryException;
import io.drplane.notifier.delivery.HttpSender;
import java.net.URI;
import java.util.Map;

/**
 * A Slack incoming webhook, with a Block Kit message: a header (firing or resolved, and the lead alert), a section
 * per alert with its fields (group, regions, reason code and sentence, RPO against observed, epoch) and a link to the
 * group in the drplane API. The webhook URL is the credential: it never appears in an error.
 */
public final class SlackChannel implements Channel {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI webhook;
    private final HttpSender http;
    private final Links links;
    private final String route;

    public SlackChannel(String route, URI webhook, HttpSender http, Links links) {
        this.route = route;
        this.webhook = webhook;
        this.http = http;
        this.links = links;
    }

    @Override
    public void send(Dispatch dispatch) throws DeliveryException {
        http.post(webhook, Map.of("Content-Type", "application/json"), body(dispatch), destination());
    }

    String body(Dispatch dispatch) {
        AlertView lead = dispatch.lead();
        ObjectNode message = JSON.createObjectNode();
        message.put("text", Texts.headline(dispatch)); // the notification's text, where blocks are not shown
        ArrayNode blocks = message.putArray("blocks");
        ObjectNode header = blocks.addObject().put("type", "header");
        header.putObject("text").put("type", "plain_text").put("text", Texts.shorten(Texts.headline(dispatch), 150));
        for (AlertView alert : dispatch.alerts()) {
            ObjectNode section = blocks.addObject().put("type", "section");
            section.putObject("text")
                    .put("type", "mrkdwn")
                    .put(
                            "text",
                            (alert.firing() ? "*" + alert.severity() + "* " : "*RESOLVED* ") + alert.title()
                                    + "\n" + (alert.reasonCode().isEmpty() ? "" : "`" + alert.reasonCode() + "` ")
                                    + alert.sentence());
            ArrayNode fields = section.putArray("fields");
            alert.details()
                    .forEach((name, value) ->
                            fields.addObject().put("type", "mrkdwn").put("text", "*" + name + "*\n" + value));
        }
        links.group(lead.group()).ifPresent(url -> {
            ObjectNode context = blocks.addObject().put("type", "context");
            context.putArray("elements")
                    .addObject()
                    .put("type", "mrkdwn")
                    .put("text", "<" + url + "|" + lead.group() + " in drplane> · alert `" + lead.key() + "`");
        });
        return message.toString();
    }

    @Override
    public double perSecond() {
        return 1;
    }

    @Override
    public String destination() {
        return "slack route " + route;
    }
}
