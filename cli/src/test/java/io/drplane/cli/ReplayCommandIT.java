package io.drplane.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drplane.coordinator.kafka.CoordinatorClients;
import io.drplane.coordinator.kafka.CoordinatorLoop;
import io.drplane.coordinator.kafka.TickWriter;
import io.drplane.events.Event;
import io.drplane.events.EventData;
import io.drplane.events.HealthObserved;
import io.drplane.events.LagMethod;
import io.drplane.events.LagStatus;
import io.drplane.events.ProbeOutcome;
import io.drplane.events.ProbeSource;
import io.drplane.events.PromoteReplica;
import io.drplane.events.ReplicationLagObserved;
import io.drplane.events.TopicFamily;
import io.drplane.events.TopicSpec;
import io.drplane.events.codec.EventCodec;
import io.drplane.kafka.DeadLetteringReader;
import io.drplane.kafka.KafkaClientConfig;
import io.drplane.kafka.RecordSignatures;
import io.drplane.kafka.ServiceAcls;
import io.drplane.kafka.TopicProvisioner;
import io.drplane.plan.load.PlanLoader;
import io.drplane.testsupport.SharedKafka;
import io.drplane.testsupport.TestConsumers;
import io.drplane.testsupport.TestKeys;
import io.drplane.testsupport.TestPlans;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A failover recorded by a real coordinator (with its ticks) replays to exactly the same decisions, and a what-if shows another plan's. */
class ReplayCommandIT {

    private static final List<String> REGIONS = List.of("us-east-1", "us-west-2");

    @TempDir
    Path dir;

    private final String group = "rp-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void shouldReproduceTheRecordedDecisionsExactlyAndShowAWhatIf() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        KafkaClientConfig kafka = KafkaClientConfig.of(bootstrap, SharedKafka.connection());
        try (Admin admin = SharedKafka.admin()) {
            new TopicProvisioner(admin).apply(TopicSpec.all(REGIONS), (short) 1);
        }
        Path automatic = TestPlans.warmStandby(dir, group, "automatic");
        Path approval = TestPlans.warmStandby(dir, group, "approval");

        DeadLetteringReader reader = new DeadLetteringReader(
                new KafkaProducer<>(kafka.deadLetterProducer("replay-it")),
                "drplane-failover-coordinator",
                EventCodec.instance(),
                Clock.systemUTC());
        CoordinatorLoop loop = new CoordinatorLoop(
                PlanLoader.load(automatic),
                kafka,
                "replay-" + group,
                reader,
                RecordSignatures.parse(TestKeys.OPERATOR_KEYS, "test"),
                RecordSignatures.parse(RecordSignatures.Kind.COMMANDS, TestKeys.COMMAND_KEYS, "test"));
        Thread thread = new Thread(loop, "coordinator");
        thread.start();
        TickWriter ticks = new TickWriter(kafka, loop::owned, Clock.systemUTC(), "replay-" + group);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        ticks.scheduleOn(timer, Duration.ofMillis(200));
        try (KafkaProducer<String, Event<?>> producer = new KafkaProducer<>(kafka.eventProducer("it"));
                KafkaConsumer<String, byte[]> commands = TestConsumers.fromBeginning(
                        bootstrap, kafka.connection(), TopicFamily.COMMANDS.topic("us-west-2"))) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> loop.owned().contains(CoordinatorClients.partitionOf(group)));
            rounds(producer, 3, true);
            send(
                    producer,
                    new ReplicationLagObserved(
                            group,
                            "orders-db",
                            "us-east-1",
                            "us-west-2",
                            LagStatus.MEASURED,
                            250L,
                            null,
                            LagMethod.HEARTBEAT,
                            Instant.now(),
                            null));
            rounds(producer, 3, false);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : commands.poll(Duration.ofMillis(200))) {
                    Event<?> e = EventCodec.instance().decode(r.value());
                    if (e.subject().equals(group) && e.data() instanceof PromoteReplica) {
                        return true;
                    }
                }
                return false;
            });
        } finally {
            timer.shutdownNow();
            ticks.close();
            loop.close();
            thread.join(10_000);
        }

        // The operator's tools run with the operator's principal and its ACLs (read only), as deployed.
        Path operator = SharedKafka.propertiesFile(SharedKafka.principal(
                "operator-" + group, p -> ServiceAcls.of(ServiceAcls.Service.OPERATOR, p, null, REGIONS)));
        StringWriter out = new StringWriter();
        int exit = new CommandLine(new DrplaneCli())
                .setOut(new PrintWriter(out))
                .execute(
                        "replay",
                        "--group",
                        group,
                        "--plan",
                        automatic.toString(),
                        "-b",
                        bootstrap,
                        "--kafka-properties",
                        operator.toString(),
                        "--what-if",
                        approval.toString());

        assertThat(exit).as(out.toString()).isZero();
        assertThat(out.toString())
                .contains("identical to what the coordinator recorded")
                .contains("what-if " + approval)
                .contains("failover.held APPROVAL_REQUIRED: every safety rule passed; the group is in approval mode.");
        assertThat(out.toString())
                .containsPattern("replayed \\d+ input\\(s\\) of partition \\d+ for " + group
                        + ": [1-9]\\d* decision\\(s\\) and command\\(s\\), [1-9]\\d* recorded");
    }

    private void rounds(KafkaProducer<String, Event<?>> producer, int count, boolean primaryOk) throws Exception {
        for (int i = 0; i < count; i++) {
            for (String vantage : List.of("v1", "v2", "v3")) {
                send(producer, observed("us-east-1", vantage, primaryOk));
                send(producer, observed("us-west-2", vantage, true));
            }
        }
    }

    private HealthObserved observed(String region, String vantage, boolean ok) {
        return new HealthObserved(
                group,
                region,
                "web",
                vantage,
                ProbeSource.HTTPS,
                ok ? ProbeOutcome.OK : ProbeOutcome.TIMEOUT,
                ok ? 200 : null,
                10,
                Instant.now(),
                null);
    }

    private static void send(KafkaProducer<String, Event<?>> producer, EventData data) throws Exception {
        Event<?> event = Event.of(URI.create("/test"), Instant.now(), data);
        producer.send(new ProducerRecord<>(TopicFamily.topicFor(data), event.subject(), event))
                .get(10, TimeUnit.SECONDS);
    }
}
