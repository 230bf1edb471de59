package io.drplane.notifier.channel;

import io.drplane.events.codec.EventCodec;
import io.drplane.notifier.alert.AlertView;
import io.drplane.notifier.alert.Dispatch;
import io.drplane.notifier.delivery.DeliveryException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.SnsException;

/**
 * Amazon SNS: one {@code Publish} per alert change, the CloudEvent of its newest event as the message, and message
 * attributes a subscription's filter policy can match ({@code type}, {@code group}, {@code severity}, {@code status}).
 * A FIFO topic gets the group as its message group (order per group) and a deduplication id from the event.
 */
public final class SnsChannel implements Channel {

    private final String route;
    private final String topicArn;
    private final SnsClient sns;

    public SnsChannel(String route, String topicArn, SnsClient sns) {
        this.route = route;
        this.topicArn = topicArn;
        this.sns = sns;
    }

    @Override
    public void send(Dispatch dispatch) throws DeliveryException {
        for (AlertView alert : dispatch.alerts()) {
            PublishRequest.Builder request = PublishRequest.builder()
                    .topicArn(topicArn)
                    .message(new String(EventCodec.instance().encode(alert.latest()), StandardCharsets.UTF_8))
                    .subject(Texts.shorten(alert.title().replaceAll("[^\\x20-\\x7E]", "-"), 100))
                    .messageAttributes(Map.of(
                            "type", text(alert.latest().type().shortName()),
                            "group", text(alert.group()),
                            "severity", text(alert.severity().name().toLowerCase(Locale.ROOT)),
                            "status", text(alert.firing() ? "firing" : "resolved")));
            if (topicArn.endsWith(".fifo")) {
                request.messageGroupId(alert.group())
                        .messageDeduplicationId(WebhookChannel.fingerprint(
                                route + "|" + alert.key() + "|" + alert.latest().id() + "|" + alert.status()));
            }
            try {
                sns.publish(request.build());
            } catch (SnsException e) {
                int status = e.statusCode();
                String said = destination() + ": " + e.awsErrorDetails().errorCode() + " (HTTP " + status + ")";
                boolean retry = status == 429 || status >= 500 || e.isThrottlingException();
                throw new DeliveryException(said, !retry, null);
            } catch (SdkClientException e) {
                throw DeliveryException.transientFailure(
                        destination() + ": " + e.getClass().getSimpleName());
            } catch (SdkException e) {
                throw DeliveryException.transientFailure(destination() + ": " + e.getMessage());
            }
        }
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder()
                .dataType("String")
                .stringValue(value)
                .build();
    }

    @Override
    public double perSecond() {
        return 100;
    }

    @Override
    public String destination() {
        return "sns route " + route + " (" + topicArn + ")";
    }
}
