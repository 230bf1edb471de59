package io.drplane.replicationtracker;

import io.drplane.events.Event;
import io.drplane.events.EventData;
import io.drplane.events.ReplicationLagObserved;
import io.drplane.events.TopicFamily;
import io.drplane.events.TopicSpec;
import io.drplane.events.codec.EventCodec;
import io.drplane.kafka.ServiceAcls;
import io.drplane.kafka.TopicProvisioner;
import io.drplane.runtime.DrplaneService;
import io.drplane.testsupport.MotoServer;
import io.drplane.testsupport.SharedKafka;
import io.drplane.testsupport.TestConsumers;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Runs the tracker against the shared broker and moto, and reads back what it publishes for one group. */
final class TrackerHarness implements AutoCloseable {

    /** The tracker runs as its own principal with the replication tracker's ACLs, as deployed. */
    private static final Path TRACKER_PRINCIPAL = SharedKafka.propertiesFile(SharedKafka.principal(
            "tracker-it", p -> ServiceAcls.of(ServiceAcls.Service.REPLICATION_TRACKER, p, null, List.of())));

    static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

    final String group = "rt-" + UUID.randomUUID().toString().substring(0, 8);
    final List<ReplicationLagObserved> lags = new CopyOnWriteArrayList<>();
    final List<EventData> rpoEvents = new CopyOnWriteArrayList<>();
    private final KafkaConsumer<String, byte[]> consumer;

    TrackerHarness() throws Exception {
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        try (Admin admin = SharedKafka.admin()) {
            new TopicProvisioner(admin).apply(TopicSpec.all(List.of("us-east-1", "us-west-2")), (short) 1);
        }
        consumer = TestConsumers.fromBeginning(
                SharedKafka.bootstrapServers(), SharedKafka.connection(), TopicFamily.REPLICATION.topic());
    }

    /** A Secrets Manager secret (in moto) holding the database password, as the plan references it. */
    String secret(String password) {
        try (SecretsManagerClient secrets = SecretsManagerClient.builder()
                .endpointOverride(MotoServer.shared().endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS)
                .build()) {
            return secrets.createSecret(r -> r.name(group + "/db")
                            .secretString("{\"username\":\"drplane\",\"password\":\"" + password + "\"}"))
                    .arn();
        }
    }

    ApplicationContext start(Path plan) {
        return start(plan, TRACKER_PRINCIPAL);
    }

    /** The tracker connecting with the client settings in {@code kafkaProperties}. */
    ApplicationContext start(Path plan, Path kafkaProperties) {
        return ApplicationContext.builder()
                .propertySources(DrplaneService.defaults(ReplicationTrackerApplication.SERVICE))
                .properties(Map.of(
                        "kafka.bootstrap.servers",
                        SharedKafka.bootstrapServers(),
                        "drplane.kafka-properties",
                        kafkaProperties.toString(),
                        "drplane.plan",
                        plan.toString(),
                        "drplane.instance",
                        "it",
                        "drplane.aws.endpoint",
                        MotoServer.shared().endpoint().toString(),
                        "drplane.replication.db-timeout",
                        "2s",
                        "micronaut.server.port",
                        -1))
                .start();
    }

    /** Publishes a topology as the coordinator does: keyed by group on the compacted topology topic. */
    void publishTopology(io.drplane.events.TopologyChanged changed) throws Exception {
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(
                SharedKafka.clientSettings(),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                            TopicFamily.TOPOLOGY.topic(),
                            changed.group(),
                            EventCodec.instance()
                                    .encode(Event.of(
                                            java.net.URI.create("/test/coordinator"), Instant.now(), changed))))
                    .get();
        }
    }

    /** Reads what arrived since the last call; call it inside a wait condition. */
    void poll() throws Exception {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            Event<?> event = EventCodec.instance().decode(record.value());
            if (!event.subject().equals(group)) {
                continue;
            }
            if (event.data() instanceof ReplicationLagObserved lag) {
                lags.add(lag);
            } else {
                rpoEvents.add(event.data());
            }
        }
    }

    Optional<ReplicationLagObserved> latest(String link) {
        return latestAfter(link, Instant.EPOCH);
    }

    Optional<ReplicationLagObserved> latestAfter(String link, Instant after) {
        ReplicationLagObserved found = null;
        for (ReplicationLagObserved l : lags) {
            if (l.link().equals(link) && l.observedAt().isAfter(after)) {
                found = l;
            }
        }
        return Optional.ofNullable(found);
    }

    List<ReplicationLagObserved> after(String link, Instant after) {
        return lags.stream()
                .filter(l -> l.link().equals(link) && l.observedAt().isAfter(after))
                .toList();
    }

    long lagOf(String link) {
        return latest(link)
                .map(l -> l.lagMillis() == null ? -1L : l.lagMillis())
                .orElse(-1L);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
