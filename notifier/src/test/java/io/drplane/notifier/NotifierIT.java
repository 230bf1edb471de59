package io.drplane.notifier;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.drplane.events.AlertStatus;
import io.drplane.events.Event;
import io.drplane.events.EventData;
import io.drplane.events.NotificationDelivered;
import io.drplane.events.NotificationFailed;
import io.drplane.events.ReasonCode;
import io.drplane.events.TopicFamily;
import io.drplane.events.TopicSpec;
import io.drplane.events.codec.EventCodec;
import io.drplane.kafka.KafkaClientConfig;
import io.drplane.kafka.ServiceAcls;
import io.drplane.kafka.TopicProvisioner;
import io.drplane.runtime.DrplaneService;
import io.drplane.testsupport.ServiceHealth;
import io.drplane.testsupport.SharedKafka;
import io.drplane.testsupport.TestConsumers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notifier as it runs: the Micronaut service with its own principal and the notifier's ACLs on the shared SASL
 * broker, decisions written to {@code dr.decisions.v1}, Slack, PagerDuty and webhooks served by WireMock, and every
 * outcome read back from {@code dr.notifications.v1}. A restart in the middle sends nothing twice.
 */
class NotifierIT {

    private static final List<String> REGIONS = List.of("us-east-1", "us-west-2");
    private static final String SLACK_PATH = "/services/T0/B0/SLACKSECRET";
    private static final String ROUTING_KEY = "PAGERDUTYROUTINGKEYSECRET0000000";
    private static Path notifierPrincipal;

    @TempDir
    Path dir;

    private final WireMockServer receivers = new WireMockServer(options().dynamicPort());
    private final String group = "nt-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void topics() throws Exception {
        try (Admin admin = SharedKafka.admin()) {
            new TopicProvisioner(admin).apply(TopicSpec.all(REGIONS), (short) 1);
        }
        notifierPrincipal = SharedKafka.propertiesFile(SharedKafka.principal(
                "notifier-it", p -> ServiceAcls.of(ServiceAcls.Service.NOTIFIER, p, null, REGIONS)));
    }

    @BeforeEach
    void startReceivers() {
        receivers.start();
        receivers.stubFor(
                post(SLACK_PATH).willReturn(aResponse().withStatus(200).withBody("ok")));
        receivers.stubFor(post("/v2/enqueue").willReturn(aResponse().withStatus(202)));
        receivers.stubFor(post("/hook").willReturn(aResponse().withStatus(204)));
        receivers.stubFor(post("/gone").willReturn(aResponse().withStatus(410)));
        receivers.stubFor(post("/down").willReturn(aResponse().withStatus(503)));
    }

    @AfterEach
    void stopReceivers() {
        receivers.stop();
    }

    @Test
    void shouldPageResolveAndReportEveryDeliveryOnceAcrossARestart() throws Exception {
        Path plan = plan();
        KafkaClientConfig kafka = KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection());
        try (KafkaProducer<String, Event<?>> producer = new KafkaProducer<>(kafka.eventProducer("it"));
                KafkaConsumer<String, byte[]> outcomes = TestConsumers.fromBeginning(
                        SharedKafka.bootstrapServers(), SharedKafka.connection(), TopicFamily.NOTIFICATIONS.topic())) {
            List<EventData> seen = new ArrayList<>();
            try (ApplicationContext notifier = start(plan, notifierPrincipal)) {
                send(producer, TestEvents.held(group, "held-" + group));
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    read(outcomes, seen);
                    return delivered(seen, "pager").size() == 1
                            && delivered(seen, "chat").size() == 1
                            && delivered(seen, "hook").size() == 1
                            && failed(seen, "gone").size() == 1
                            && failed(seen, "down").size() == 1;
                });
            }
            // a restart: everything above is on record; the held event is read again but not sent again
            try (ApplicationContext notifier = start(plan, notifierPrincipal)) {
                send(producer, TestEvents.completed(group, "done-" + group, 4));
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    read(outcomes, seen);
                    return delivered(seen, "pager").size() == 2
                            && delivered(seen, "chat").size() == 2;
                });
                // a duplicate page would have gone out before the resolve: the held event comes first in the partition
            }
        }

        assertThat(receivers
                        .countRequestsMatching(postRequestedFor(urlEqualTo("/v2/enqueue"))
                                .withRequestBody(containing("\"trigger\""))
                                .build())
                        .getCount())
                .as("one page")
                .isEqualTo(1);
        assertThat(receivers
                        .countRequestsMatching(postRequestedFor(urlEqualTo("/v2/enqueue"))
                                .withRequestBody(containing("\"resolve\""))
                                .build())
                        .getCount())
                .as("one resolve")
                .isEqualTo(1);
        assertThat(receivers
                        .countRequestsMatching(postRequestedFor(urlEqualTo(SLACK_PATH))
                                .withRequestBody(containing("[FIRING:1]"))
                                .build())
                        .getCount())
                .isEqualTo(1);
        assertThat(receivers
                        .countRequestsMatching(
                                postRequestedFor(urlEqualTo("/gone")).build())
                        .getCount())
                .as("a 410 is not retried")
                .isEqualTo(1);
        assertThat(receivers
                        .countRequestsMatching(
                                postRequestedFor(urlEqualTo("/down")).build())
                        .getCount())
                .as("a 503 is retried up to max-attempts")
                .isEqualTo(3);
    }

    @Test
    void shouldSayWhyADeliveryFailedWithAReasonAndNoSecret() throws Exception {
        Path plan = plan();
        KafkaClientConfig kafka = KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection());
        List<EventData> seen = new ArrayList<>();
        try (KafkaProducer<String, Event<?>> producer = new KafkaProducer<>(kafka.eventProducer("it"));
                KafkaConsumer<String, byte[]> outcomes = TestConsumers.fromBeginning(
                        SharedKafka.bootstrapServers(), SharedKafka.connection(), TopicFamily.NOTIFICATIONS.topic());
                ApplicationContext notifier = start(plan, notifierPrincipal)) {
            send(producer, TestEvents.held(group, "held-" + group));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                read(outcomes, seen);
                return failed(seen, "gone").size() == 1 && failed(seen, "down").size() == 1;
            });
            MeterRegistry metrics = notifier.getBean(MeterRegistry.class);
            assertThat(metrics.get("drplane.notifier.notifications")
                            .tag("outcome", "failed")
                            .functionCounter()
                            .count())
                    .isEqualTo(2);
            assertThat(metrics.get("drplane.notifier.alerts.firing").gauge().value())
                    .as("the held failover")
                    .isEqualTo(1);
        }
        NotificationFailed gone = failed(seen, "gone").get(0);
        assertThat(gone.reason().code()).isEqualTo(ReasonCode.NOTIFICATION_REJECTED);
        assertThat(gone.reason().message())
                .isEqualTo("gone refused the notification for good; fix the route (its address or credential) and"
                        + " the next change is sent.");
        assertThat(gone.attempts()).isEqualTo(1);
        assertThat(gone.error())
                .isEqualTo(
                        "webhook route gone (" + URI.create(receivers.baseUrl()).getHost() + "): HTTP 410");
        NotificationFailed down = failed(seen, "down").get(0);
        assertThat(down.reason().code()).isEqualTo(ReasonCode.NOTIFICATION_RETRIES_EXHAUSTED);
        assertThat(down.reason().message())
                .isEqualTo("down could not be reached in 3 attempt(s); the next change of the alert is sent again.");
        assertThat(down.status()).isEqualTo(AlertStatus.FIRING);
        NotificationDelivered page = delivered(seen, "pager").get(0);
        assertThat(page.alertKey()).isEqualTo("failover/" + group);
        assertThat(page.eventIds()).containsExactly("held-" + group);
        for (EventData data : seen) {
            assertThat(data.toString()).doesNotContain("SLACKSECRET").doesNotContain(ROUTING_KEY);
        }
    }

    @Test
    void shouldSayOnHealthWhenTheBrokerRefusesItsCredentials() throws Exception {
        SharedKafka.broker().user("notifier-wrong-password");
        Path wrong = SharedKafka.propertiesFile(
                SharedKafka.broker().userWithPassword("notifier-wrong-password", "not-the-password"));
        try (ApplicationContext notifier = start(plan(), wrong)) {
            String body = ServiceHealth.awaitDown(
                    notifier.getBean(EmbeddedServer.class).start().getURI(), Duration.ofSeconds(60));
            assertThat(body)
                    .as("DOWN, saying why")
                    .containsIgnoringCase("authentication")
                    .doesNotContain("not-the-password");
        }
    }

    private Path plan() throws Exception {
        Path slack = Files.writeString(dir.resolve("slack-url"), receivers.baseUrl() + SLACK_PATH + "\n");
        Path pager = Files.writeString(dir.resolve("pd-key"), ROUTING_KEY);
        Path signing = Files.writeString(dir.resolve("hook-secret"), "a-signing-secret");
        String yaml = NotifierPlans.group(
                        group,
                        receivers.baseUrl() + "/hook",
                        "cloudevents",
                        "groupWait: 0s",
                        """
                              - { name: gone, channel: webhook, url: "%s/gone", events: [failover.held], groupWait: 0s }
                              - { name: down, channel: webhook, url: "%s/down", events: [failover.held], groupWait: 0s }
                        """
                                .formatted(receivers.baseUrl(), receivers.baseUrl()))
                .replace("env:NOTIFIER_TEST_SLACK_URL", "file:" + slack)
                .replace("env:NOTIFIER_TEST_PD_KEY", "file:" + pager)
                .replace("env:NOTIFIER_TEST_WEBHOOK_SECRET", "file:" + signing);
        return Files.writeString(dir.resolve(group + ".yml"), yaml);
    }

    private ApplicationContext start(Path plan, Path kafkaProperties) {
        return ApplicationContext.builder()
                .propertySources(DrplaneService.defaults(NotifierApplication.SERVICE))
                .properties(Map.ofEntries(
                        Map.entry("kafka.bootstrap.servers", SharedKafka.bootstrapServers()),
                        Map.entry("drplane.kafka-properties", kafkaProperties.toString()),
                        Map.entry("drplane.plan", plan.toString()),
                        Map.entry("drplane.instance", "it"),
                        Map.entry("drplane.notifier.pagerduty-url", receivers.baseUrl() + "/v2/enqueue"),
                        Map.entry("drplane.notifier.api-url", "http://127.0.0.1:8086"),
                        Map.entry("drplane.notifier.max-attempts", 3),
                        Map.entry("drplane.notifier.initial-backoff", "50ms"),
                        Map.entry("drplane.notifier.total-time", "10s"),
                        Map.entry("micronaut.server.port", -1)))
                .start();
    }

    private static void send(KafkaProducer<String, Event<?>> producer, Event<?> event) throws Exception {
        producer.send(new ProducerRecord<>(TopicFamily.DECISIONS.topic(), event.subject(), event))
                .get(30, TimeUnit.SECONDS);
    }

    private void read(KafkaConsumer<String, byte[]> outcomes, List<EventData> seen) throws Exception {
        for (ConsumerRecord<String, byte[]> record : outcomes.poll(Duration.ofMillis(200))) {
            EventData data = EventCodec.instance().decode(record.value()).data();
            if (data instanceof NotificationDelivered d && d.group().equals(group)
                    || data instanceof NotificationFailed f && f.group().equals(group)) {
                seen.add(data);
            }
        }
    }

    private static List<NotificationDelivered> delivered(List<EventData> seen, String route) {
        return seen.stream()
                .filter(d -> d instanceof NotificationDelivered n && n.route().equals(route))
                .map(NotificationDelivered.class::cast)
                .toList();
    }

    private static List<NotificationFailed> failed(List<EventData> seen, String route) {
        return seen.stream()
                .filter(d -> d instanceof NotificationFailed n && n.route().equals(route))
                .map(NotificationFailed.class::cast)
                .toList();
    }
}
