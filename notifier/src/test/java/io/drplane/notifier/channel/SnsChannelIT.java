package io.drplane.notifier.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drplane.notifier.NotifierPlans;
import io.drplane.notifier.TestEvents;
import io.drplane.notifier.alert.AlertBook;
import io.drplane.notifier.alert.Dispatch;
import io.drplane.plan.Plan;
import io.drplane.plan.load.PlanLoader;
import io.drplane.testsupport.MotoServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * SNS in moto, read back through SQS queues subscribed with raw message delivery: the CloudEvent arrives as the
 * message, the attributes with it, and a subscription's filter policy on {@code severity} lets only pages through.
 */
class SnsChannelIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));

    private SnsClient sns;
    private SqsClient sqs;

    @BeforeEach
    void clients() {
        sns = SnsClient.builder()
                .endpointOverride(MotoServer.shared().endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS)
                .build();
        sqs = SqsClient.builder()
                .endpointOverride(MotoServer.shared().endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS)
                .build();
    }

    @AfterEach
    void close() {
        sns.close();
        sqs.close();
    }

    @Test
    void shouldPublishTheCloudEventWithAttributesAFilterPolicyCanMatch() throws Exception {
        String name = "dr-alerts-" + UUID.randomUUID().toString().substring(0, 8);
        String topicArn = sns.createTopic(r -> r.name(name)).topicArn();
        String everything = queue(topicArn, name + "-all", null);
        String pagesOnly = queue(topicArn, name + "-pages", "{\"severity\": [\"critical\"]}");
        Plan plan = PlanLoader.parse(
                NotifierPlans.shop(
                        "https://hooks.example.com/x",
                        "cloudevents",
                        "      - { name: topic, channel: sns, topicArn: \"" + topicArn + "\", events: [\"*\"] }\n"),
                "shop.yml");
        AlertBook book = new AlertBook(plan);
        SnsChannel channel = new SnsChannel("topic", topicArn, sns);
        for (Dispatch dispatch : book.observe(TestEvents.held("e1"), TestEvents.T0)) {
            if (dispatch.route().name().equals("topic")) {
                channel.send(dispatch);
            }
        }
        for (Dispatch dispatch : book.observe(TestEvents.breached("e2"), TestEvents.T0)) {
            if (dispatch.route().name().equals("topic")) {
                channel.send(dispatch);
            }
        }

        List<Message> all = receive(everything, 2);
        assertThat(all).hasSize(2);
        Message held = all.stream()
                .filter(m -> m.body().contains("\"e1\""))
                .findFirst()
                .orElseThrow();
        JsonNode event = JSON.readTree(held.body());
        assertThat(event.get("type").asText()).isEqualTo("io.drplane.failover.held.v1");
        assertThat(event.get("id").asText()).isEqualTo("e1");
        assertThat(held.messageAttributes().get("severity").stringValue()).isEqualTo("critical");
        assertThat(held.messageAttributes().get("type").stringValue()).isEqualTo("failover.held");
        assertThat(held.messageAttributes().get("group").stringValue()).isEqualTo("shop");
        assertThat(held.messageAttributes().get("status").stringValue()).isEqualTo("firing");

        List<Message> pages = receive(pagesOnly, 2);
        assertThat(pages)
                .as("the filter policy lets the critical one through, not the RPO error")
                .singleElement()
                .satisfies(m -> assertThat(m.body()).contains("\"e1\""));
    }

    private String queue(String topicArn, String name, String filterPolicy) {
        String url = sqs.createQueue(r -> r.queueName(name)).queueUrl();
        String arn = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        Map<String, String> attributes = filterPolicy == null
                ? Map.of("RawMessageDelivery", "true")
                : Map.of("RawMessageDelivery", "true", "FilterPolicy", filterPolicy);
        sns.subscribe(r -> r.topicArn(topicArn).protocol("sqs").endpoint(arn).attributes(attributes));
        return url;
    }

    private List<Message> receive(String queueUrl, int atMost) {
        List<Message> messages = new ArrayList<>();
        for (int round = 0; round < 3 && messages.size() < atMost; round++) {
            messages.addAll(sqs.receiveMessage(r -> r.queueUrl(queueUrl)
                            .maxNumberOfMessages(10)
                            .waitTimeSeconds(1)
                            .messageAttributeNames("All"))
                    .messages());
        }
        return messages;
    }
}
