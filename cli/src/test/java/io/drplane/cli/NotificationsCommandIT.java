package io.drplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.drplane.events.AlertSeverity;
import io.drplane.events.AlertStatus;
import io.drplane.events.Event;
import io.drplane.events.EventData;
import io.drplane.events.NotificationChannel;
import io.drplane.events.NotificationDelivered;
import io.drplane.events.NotificationFailed;
import io.drplane.events.Reason;
import io.drplane.events.ReasonCode;
import io.drplane.events.TopicFamily;
import io.drplane.events.TopicSpec;
import io.drplane.kafka.KafkaClientConfig;
import io.drplane.kafka.ServiceAcls;
import io.drplane.kafka.TopicProvisioner;
import io.drplane.testsupport.SharedKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `drplane notifications` reads what the notifier recorded, as the operator's principal with its ACLs. */
class NotificationsCommandIT {

    private static final List<String> REGIONS = List.of("us-east-1", "us-west-2");

    @Test
    void shouldListWhatWasSentAndWhatFailedWithItsReason() throws Exception {
        String group = "nc-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = SharedKafka.admin()) {
            new TopicProvisioner(admin).apply(TopicSpec.all(REGIONS), (short) 1);
        }
        Instant at = Instant.parse("2026-12-05T10:00:00Z");
        try (KafkaProducer<String, Event<?>> producer =
                new KafkaProducer<>(KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection())
                        .eventProducer("it"))) {
            send(
                    producer,
                    new NotificationDelivered(
                            group,
                            NotificationChannel.PAGERDUTY,
                            "oncall-pager",
                            "failover/" + group,
                            AlertStatus.FIRING,
                            AlertSeverity.CRITICAL,
                            "e1",
                            "io.drplane.failover.held.v1",
                            List.of("e1"),
                            1,
                            at));
            send(
                    producer,
                    new NotificationFailed(
                            group,
                            NotificationChannel.SLACK,
                            "oncall-slack",
                            "failover/" + group,
                            AlertStatus.FIRING,
                            AlertSeverity.CRITICAL,
                            "e1",
                            "io.drplane.failover.held.v1",
                            List.of("e1"),
                            1,
                            "slack route oncall-slack: HTTP 410 no_service",
                            at.plusSeconds(30),
                            Reason.of(
                                    ReasonCode.NOTIFICATION_REJECTED,
                                    "oncall-slack refused the notification for good.")));
        }
        Path operator = SharedKafka.propertiesFile(SharedKafka.principal(
                "operator-" + group, p -> ServiceAcls.of(ServiceAcls.Service.OPERATOR, p, null, REGIONS)));

        StringWriter out = new StringWriter();
        int exit = new CommandLine(new DrplaneCli())
                .setOut(new PrintWriter(out))
                .execute(
                        "notifications",
                        "--group",
                        group,
                        "-b",
                        SharedKafka.bootstrapServers(),
                        "--kafka-properties",
                        operator.toString());

        assertThat(exit).as(out.toString()).isZero();
        assertThat(out.toString().lines().toList())
                .containsExactly(
                        "2026-12-05T10:00:00Z  sent      oncall-pager   pagerduty FIRING   failover/" + group
                                + " (critical, 1 attempt(s))",
                        "2026-12-05T10:00:30Z  FAILED    oncall-slack   slack     FIRING   failover/" + group
                                + ": NOTIFICATION_REJECTED oncall-slack refused the notification for good. (1"
                                + " attempt(s)): slack route oncall-slack: HTTP 410 no_service");
    }

    private static void send(KafkaProducer<String, Event<?>> producer, EventData data) throws Exception {
        Event<?> event = Event.of(URI.create("/drplane/notifier/it"), Instant.now(), data);
        producer.send(new ProducerRecord<>(TopicFamily.NOTIFICATIONS.topic(), event.subject(), event))
                .get(30, TimeUnit.SECONDS);
    }
}
