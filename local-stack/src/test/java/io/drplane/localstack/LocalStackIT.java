package io.drplane.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drplane.events.BackupCopyCompleted;
import io.drplane.events.BackupJobCompleted;
import io.drplane.events.Event;
import io.drplane.events.EventData;
import io.drplane.events.EventType;
import io.drplane.events.FailoverCompleted;
import io.drplane.events.FailoverFailed;
import io.drplane.events.HealthObserved;
import io.drplane.events.LagStatus;
import io.drplane.events.ReplicationLagObserved;
import io.drplane.events.SampleEvents;
import io.drplane.events.TopicFamily;
import io.drplane.events.codec.EventCodec;
import io.drplane.events.codec.EventDecodingException;
import io.drplane.executor.aws.AwsClients;
import io.drplane.kafka.KafkaClientConfig;
import io.drplane.testsupport.TestConsumers;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * The README's first command, end to end: a real broker, moto and every service of the example plan as child JVMs;
 * all healthy, logging JSON; stopped with no process left behind; and the event log still there after a restart.
 */
class LocalStackIT {

    private static final Path HOME = Path.of("..").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void shouldRunEveryServiceStopWithoutOrphansAndKeepTheEventLogAcrossRestarts() throws Exception {
        int kafkaPort = Ports.free(2);
        LocalStackConfig config = new LocalStackConfig(
                HOME,
                dataDir,
                HOME.resolve("examples/two-region-shop.yml"),
                kafkaPort,
                Ports.free(1),
                Ports.free(9),
                true,
                Ports.free(1));
        StringWriter output = new StringWriter();
        String eventId = "survives-restart-" + UUID.randomUUID();

        List<Long> firstRunPids;
        try (LocalStack stack = new LocalStack(config, new PrintWriter(output, true))) {
            List<LocalStack.Running> running = stack.start();

            assertThat(running)
                    .extracting(LocalStack.Running::name)
                    .containsExactly(
                            "kafka",
                            "moto",
                            "health-monitor/us-east-2a",
                            "health-monitor/eu-west-1a",
                            "health-monitor/office-fra",
                            "replication-tracker",
                            "backup-scheduler",
                            "failover-coordinator",
                            "region-executor/us-east-1",
                            "region-executor/us-west-2",
                            "notifier");
            assertThat(running.subList(2, running.size()))
                    .allSatisfy(r -> assertThat(r.health()).as(r.name()).isEqualTo("UP"));
            assertThat(stack.motoRunning())
                    .as("moto is installed on these machines; the executors get it")
                    .isTrue();
            assertThat(output.toString()).contains("topics: 15 created");
            assertThat(topics(stack.kafka()))
                    .contains(
                            TopicFamily.HEALTH.topic(),
                            TopicFamily.COMMANDS.topic("us-east-1"),
                            TopicFamily.COMMANDS.topic("us-west-2"),
                            TopicFamily.DEADLETTER.topic());
            assertJsonLogs(
                    dataDir.resolve("logs/health-monitor-us-east-2a.log"),
                    "vantage point us-east-2a: 2 health target(s) in 1 group(s)");
            assertJsonLogs(
                    dataDir.resolve("logs/region-executor-us-west-2.log"),
                    "executor for us-west-2 reads dr.commands.us-west-2.v1");

            assertThat(output.toString())
                    .contains("database: PostgreSQL primary jdbc:postgresql://127.0.0.1:")
                    .contains("AWS emulator seeded from the plan:")
                    .contains("RDS instance shop-db-replica-usw2 in us-west-2 (read replica of shop-db)")
                    .contains("shop/us-east-1/web-route53: route53-health-check target left out");
            assertEveryTargetObservedFromEveryVantage(config, stack.kafka());
            assertReplicationLagPublished(stack.kafka());
            assertRegionOutageFailsOverInTheEmulator(config, stack, running);
            assertBackupTakenAndCopiedOnTheCompressedClock(stack.kafka());

            Event<?> sample = SampleEvents.event(EventType.HEALTH_OBSERVED);
            try (KafkaProducer<String, Event<?>> producer =
                    new KafkaProducer<>(stack.kafka().eventProducer("it"))) {
                producer.send(new ProducerRecord<>(
                                TopicFamily.HEALTH.topic(),
                                "shop",
                                new Event<>(eventId, sample.source(), sample.time(), sample.data())))
                        .get(30, TimeUnit.SECONDS);
            }
            firstRunPids = stack.pids();
        }
        assertThat(firstRunPids).hasSize(11).allSatisfy(pid -> assertThat(
                        ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .as("pid %d stopped", pid)
                .isFalse());

        StringWriter secondOutput = new StringWriter();
        try (LocalStack stack = new LocalStack(config, new PrintWriter(secondOutput, true))) {
            stack.start();
            assertThat(secondOutput.toString()).contains("topics: 0 created, 15 already there");
            assertThat(healthValues(stack.kafka()))
                    .anySatisfy(value -> assertThat(value).contains(eventId));
        }
    }

    private static void assertJsonLogs(Path log, String expectedMessage) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line)); // fails on any line that is not JSON
            }
        }
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.get("level").asText()).isEqualTo("INFO");
            assertThat(line.get("formattedMessage").asText()).contains(expectedMessage);
        });
    }

    /** The example plan's link reads RDS ReplicaLag from CloudWatch, where the simulation publishes the real replica's lag. */
    private static void assertReplicationLagPublished(KafkaClientConfig kafka) {
        List<ReplicationLagObserved> seen = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = TestConsumers.fromBeginning(
                kafka.bootstrapServers(), kafka.connection(), TopicFamily.REPLICATION.topic())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (seen.stream().noneMatch(l -> l.status() == LagStatus.MEASURED) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        if (EventCodec.instance().decode(record.value()).data() instanceof ReplicationLagObserved lag) {
                            seen.add(lag);
                        }
                    } catch (EventDecodingException e) {
                        throw new AssertionError("the local stack published an unreadable record", e);
                    }
                }
            }
        }
        assertThat(seen).as(seen.toString()).isNotEmpty().anySatisfy(lag -> {
            assertThat(lag.group()).isEqualTo("shop");
            assertThat(lag.link()).isEqualTo("orders-db");
            assertThat(lag.status()).isEqualTo(LagStatus.MEASURED);
            assertThat(lag.lagMillis()).as("a healthy streaming replica").isBetween(0L, 5_000L);
        });
    }

    /**
     * The backup scheduler runs the example plan's daily rule on the local stack's compressed clock (a day in a minute,
     * the first run 45 s after the services start): a snapshot in us-east-1 and its copy in us-west-2, in moto, told on
     * dr.backup.v1.
     */
    private static void assertBackupTakenAndCopiedOnTheCompressedClock(KafkaClientConfig kafka) {
        List<EventData> seen = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                TestConsumers.fromBeginning(kafka.bootstrapServers(), kafka.connection(), TopicFamily.BACKUP.topic())) {
            Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(EventCodec.instance().decode(record.value()).data());
                }
                return seen.stream().anyMatch(e -> e instanceof BackupCopyCompleted);
            });
        }
        assertThat(seen).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(BackupJobCompleted.class, done -> {
            assertThat(done.group()).isEqualTo("shop");
            assertThat(done.rule()).isEqualTo("daily");
            assertThat(done.region()).isEqualTo("us-east-1");
        }));
        assertThat(seen).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(BackupCopyCompleted.class, copy -> {
            assertThat(copy.destinationRegion()).isEqualTo("us-west-2");
            assertThat(copy.destinationRecoveryPointArn()).startsWith("arn:aws:rds:us-west-2:");
        }));
    }

    /**
     * The "done when": the primary region goes dark, the coordinator fails over, and the executors' commands
     * show in the emulator: the replica promoted, the DR Auto Scaling group scaled out, the DNS record switched.
     */
    private static void assertRegionOutageFailsOverInTheEmulator(
            LocalStackConfig config, LocalStack stack, List<LocalStack.Running> running) throws Exception {
        String coordinator = running.stream()
                .filter(r -> r.name().equals("failover-coordinator"))
                .findFirst()
                .orElseThrow()
                .url();
        HttpClient http = HttpClient.newHttpClient();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "ALL_HEALTHY"
                .equals(JSON.readTree(http.send(
                                        HttpRequest.newBuilder(URI.create(coordinator + "/groups/shop"))
                                                .header("Authorization", "Bearer " + stack.apiToken())
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .body())
                        .path("analysis")
                        .asText()));

        stack.simulation().region("us-east-1").dark(true);

        List<Object> decisions = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = TestConsumers.fromBeginning(
                stack.kafka().bootstrapServers(), stack.kafka().connection(), TopicFamily.DECISIONS.topic())) {
            Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    decisions.add(EventCodec.instance().decode(record.value()).data());
                }
                return decisions.stream().anyMatch(d -> d instanceof FailoverCompleted || d instanceof FailoverFailed);
            });
        }
        assertThat(decisions).as(decisions.toString()).anySatisfy(d -> assertThat(d)
                .isInstanceOf(FailoverCompleted.class));

        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("it", "it"));
        try (var aws = new AwsClients(
                "us-west-2",
                Optional.of(URI.create("http://127.0.0.1:" + config.motoPort())),
                credentials,
                Duration.ofSeconds(10),
                List.of())) {
            assertThat(aws.rds()
                            .describeDBInstances(r -> r.dbInstanceIdentifier("shop-db-replica-usw2"))
                            .dbInstances()
                            .get(0)
                            .readReplicaSourceDBInstanceIdentifier())
                    .as("the replica was promoted")
                    .isNull();
            assertThat(aws.autoScaling()
                            .describeAutoScalingGroups(r -> r.autoScalingGroupNames("shop-web-usw2"))
                            .autoScalingGroups()
                            .get(0)
                            .desiredCapacity())
                    .as("the DR group was scaled out")
                    .isEqualTo(4);
            String zone = aws.route53().listHostedZones().hostedZones().stream()
                    .filter(z -> z.name().equals("example.com."))
                    .findFirst()
                    .orElseThrow()
                    .id();
            assertThat(aws.route53()
                            .listResourceRecordSets(r -> r.hostedZoneId(zone))
                            .resourceRecordSets())
                    .filteredOn(r -> "shop-secondary-usw2".equals(r.setIdentifier()))
                    .extracting(ResourceRecordSet::failoverAsString)
                    .containsExactly("PRIMARY");
        }
    }

    /** The local plan has the example's 2 web targets (its Route 53 health check is left out); each of the 3 vantage points probes both. */
    private static void assertEveryTargetObservedFromEveryVantage(LocalStackConfig config, KafkaClientConfig kafka) {
        Set<String> seen = new HashSet<>();
        Set<String> wanted = new HashSet<>();
        for (String vantage : List.of("us-east-2a", "eu-west-1a", "office-fra")) {
            for (String target : List.of("us-east-1/web", "us-west-2/web")) {
                wanted.add(vantage + " " + target);
            }
        }
        try (KafkaConsumer<String, byte[]> consumer =
                TestConsumers.fromBeginning(kafka.bootstrapServers(), kafka.connection(), TopicFamily.HEALTH.topic())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!seen.containsAll(wanted) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        if (EventCodec.instance().decode(record.value()).data() instanceof HealthObserved o) {
                            seen.add(o.vantage() + " " + o.region() + "/" + o.target());
                        }
                    } catch (EventDecodingException e) {
                        throw new AssertionError("the local stack published an unreadable record", e);
                    }
                }
            }
        }
        assertThat(seen).containsAll(wanted);
    }

    private static Set<String> topics(KafkaClientConfig kafka) throws Exception {
        try (Admin admin = Admin.create(kafka.admin(30_000))) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        }
    }

    private static List<String> healthValues(KafkaClientConfig kafka) {
        Properties props = new Properties();
        props.putAll(kafka.common());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(TopicFamily.HEALTH.topic()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
