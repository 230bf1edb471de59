package io.drplane.replicationtracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drplane.events.Event;
import io.drplane.events.EventData;
import io.drplane.events.LagMethod;
import io.drplane.events.LagStatus;
import io.drplane.events.ReasonCode;
import io.drplane.events.ReplicationLagObserved;
import io.drplane.events.RpoBreached;
import io.drplane.events.RpoRestored;
import io.drplane.events.TopicFamily;
import io.drplane.events.TopicSpec;
import io.drplane.events.codec.EventCodec;
import io.drplane.events.kafka.TopicProvisioner;
import io.drplane.runtime.DrplaneService;
import io.drplane.testsupport.MotoServer;
import io.drplane.testsupport.PostgresPair;
import io.drplane.testsupport.SharedKafka;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The tracker against a real PostgreSQL primary and streaming replica (heartbeat and native methods side by side),
 * with the password in a Secrets Manager secret and an RDS ReplicaLag metric in CloudWatch (both in moto), read back
 * from the real broker. Replay is paused under a write load, resumed, the replica stopped, then the primary.
 */
class ReplicationTrackerIT {

    private static final long INTERVAL = 1_000;
    private static final long TOLERANCE = INTERVAL + 100;

    @TempDir
    Path dir;

    private final List<ReplicationLagObserved> lags = new CopyOnWriteArrayList<>();
    private final List<EventData> rpoEvents = new CopyOnWriteArrayList<>();

    @Test
    void shouldMeasureLagThroughPauseResumeAndOutagesAndPublishRpoCrossings() throws Exception {
        String group = "rt-" + UUID.randomUUID().toString().substring(0, 8);
        MotoServer moto = MotoServer.shared();
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        String secretArn;
        try (SecretsManagerClient secrets = SecretsManagerClient.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials).build();
             CloudWatchClient cloudWatch = CloudWatchClient.builder().endpointOverride(moto.endpoint()).region(Region.US_WEST_2)
                     .credentialsProvider(credentials).build()) {
            secretArn = secrets.createSecret(r -> r.name(group + "/orders-db")
                    .secretString("{\"username\":\"drplane\",\"password\":\"" + PostgresPair.PASSWORD + "\"}")).arn();
            cloudWatch.putMetricData(r -> r.namespace("AWS/RDS").metricData(m -> m.metricName("ReplicaLag").value(2.5)
                    .unit(StandardUnit.SECONDS).timestamp(Instant.now())
                    .dimensions(d -> d.name("DBInstanceIdentifier").value("shop-db-replica-" + group))));
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers()))) {
            new TopicProvisioner(admin).apply(TopicSpec.all(List.of("us-east-1", "us-west-2")), (short) 1);
        }

        ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
        try (PostgresPair pair = PostgresPair.start();
             Connection writer = pair.primary();
             KafkaConsumer<String, byte[]> consumer = consumer()) {
            try (Statement s = writer.createStatement()) {
                s.execute("CREATE TABLE orders (id bigserial primary key, placed_at timestamptz default now())");
            }
            // A steady write load: an order every 20 ms, as a shop would have.
            load.scheduleAtFixedRate(() -> {
                try (Statement s = writer.createStatement()) {
                    s.execute("INSERT INTO orders DEFAULT VALUES");
                } catch (Exception ignored) {
                    // the primary is stopped at the end of the test
                }
            }, 0, 20, TimeUnit.MILLISECONDS);
            consumer.subscribe(List.of(TopicFamily.REPLICATION.topic()));

            try (ApplicationContext ignored = start(plan(group, pair, secretArn))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    poll(consumer, group);
                    return latest("heartbeat-link").filter(this::caughtUp).isPresent()
                            && latest("native-link").filter(this::caughtUp).isPresent()
                            && latest("cloudwatch-link").isPresent();
                });
                ReplicationLagObserved rds = latest("cloudwatch-link").orElseThrow();
                assertThat(rds.method()).isEqualTo(LagMethod.CLOUDWATCH_RDS_REPLICA_LAG);
                assertThat(rds.status()).isEqualTo(LagStatus.MEASURED);
                assertThat(rds.lagMillis()).isEqualTo(2_500);
                assertThat(latest("heartbeat-link").orElseThrow().method()).isEqualTo(LagMethod.HEARTBEAT);
                assertThat(latest("native-link").orElseThrow().method()).isEqualTo(LagMethod.POSTGRES_NATIVE);

                // Pause replay under the write load: the lag grows with wall time, and tracks the true lag.
                Instant pausedAt = Instant.now();
                pair.pauseReplay();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    poll(consumer, group);
                    return lagOf("heartbeat-link") >= 4_000 && lagOf("native-link") >= 4_000;
                });
                for (String link : List.of("heartbeat-link", "native-link")) {
                    List<ReplicationLagObserved> paused = lags.stream()
                            .filter(l -> l.link().equals(link) && l.observedAt().isAfter(pausedAt.plusMillis(1_500)))
                            .toList();
                    assertThat(paused).as(link + " readings while paused").hasSizeGreaterThanOrEqualTo(2);
                    for (ReplicationLagObserved reading : paused) {
                        long trueLag = Duration.between(pausedAt, reading.observedAt()).toMillis();
                        assertThat(Math.abs(reading.lagMillis() - trueLag)).as("%s error at %s (measured %d, true %d)", link,
                                reading.observedAt(), reading.lagMillis(), trueLag).isLessThan(TOLERANCE);
                    }
                    assertThat(paused.get(paused.size() - 1).lagMillis()).as(link + " grows").isGreaterThan(paused.get(0).lagMillis());
                }

                // Resume: back under one interval, and the RPO (2 s) crossings were published both ways.
                pair.resumeReplay();
                Instant resumedAt = Instant.now();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    poll(consumer, group);
                    return latestAfter("heartbeat-link", resumedAt).filter(l -> l.lagMillis() <= INTERVAL).isPresent()
                            && latestAfter("native-link", resumedAt).filter(l -> l.lagMillis() <= INTERVAL).isPresent()
                            && rpoEvents.stream().filter(e -> e instanceof RpoRestored).count() >= 2;
                });
                assertThat(rpoEvents).filteredOn(e -> e instanceof RpoBreached).extracting(e -> ((RpoBreached) e).name())
                        .contains("heartbeat-link", "native-link");
                assertThat(rpoEvents).filteredOn(e -> e instanceof RpoBreached)
                        .allSatisfy(e -> assertThat(((RpoBreached) e).reason().code()).isEqualTo(ReasonCode.RPO_BREACHED));

                // The replica stops: the lag is UNKNOWN, never zero.
                pair.stopReplica();
                Instant replicaStopped = Instant.now();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    poll(consumer, group);
                    return latestAfter("heartbeat-link", replicaStopped).filter(l -> l.status() == LagStatus.UNKNOWN).isPresent()
                            && latestAfter("native-link", replicaStopped).filter(l -> l.status() == LagStatus.UNKNOWN).isPresent();
                });
                assertThat(latest("native-link").orElseThrow().lagMillis()).isNull();
                assertThat(latest("native-link").orElseThrow().detail()).contains("replica");

                // Back, then the primary stops: the lag is "at least X", and X grows.
                pair.startReplica();
                Instant replicaBack = Instant.now();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    poll(consumer, group);
                    return latestAfter("heartbeat-link", replicaBack).filter(this::caughtUp).isPresent()
                            && latestAfter("native-link", replicaBack).filter(this::caughtUp).isPresent();
                });
                load.shutdownNow();
                pair.stopPrimary();
                Instant primaryStopped = Instant.now();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    poll(consumer, group);
                    return atLeastGrowing("heartbeat-link", primaryStopped) && atLeastGrowing("native-link", primaryStopped);
                });
                assertThat(latest("heartbeat-link").orElseThrow().detail()).contains("primary");
            }
        } finally {
            load.shutdownNow();
        }
    }

    private boolean caughtUp(ReplicationLagObserved l) {
        return l.status() == LagStatus.MEASURED && l.lagMillis() <= TOLERANCE;
    }

    private boolean atLeastGrowing(String link, Instant after) {
        List<ReplicationLagObserved> readings = lags.stream()
                .filter(l -> l.link().equals(link) && l.observedAt().isAfter(after) && l.status() == LagStatus.AT_LEAST).toList();
        return readings.size() >= 2 && readings.get(readings.size() - 1).lagMillis() > readings.get(0).lagMillis();
    }

    private long lagOf(String link) {
        return latest(link).map(l -> l.lagMillis() == null ? -1L : l.lagMillis()).orElse(-1L);
    }

    private java.util.Optional<ReplicationLagObserved> latest(String link) {
        return latestAfter(link, Instant.EPOCH);
    }

    private java.util.Optional<ReplicationLagObserved> latestAfter(String link, Instant after) {
        ReplicationLagObserved found = null;
        for (ReplicationLagObserved l : lags) {
            if (l.link().equals(link) && l.observedAt().isAfter(after)) {
                found = l;
            }
        }
        return java.util.Optional.ofNullable(found);
    }

    private void poll(KafkaConsumer<String, byte[]> consumer, String group) throws Exception {
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

    private Path plan(String group, PostgresPair pair, String secretArn) throws Exception {
        String endpoints = """
                        source: { jdbcUrl: "%s", username: drplane, password: "secretsmanager:%s" }
                        target: { jdbcUrl: "%s", username: drplane, password: "secretsmanager:%s" }
                """.formatted(pair.primaryUrl(), secretArn, pair.replicaUrl(), secretArn);
        String yaml = """
                version: 1
                vantagePoints: [a, b, c]
                groups:
                  - id: %s
                    strategy: warm-standby
                    mode: observe
                    objectives: { rto: 15m, rpo: 2s }
                    regions:
                      - { name: us-east-1, role: primary, targets: [ { name: db, kind: tcp, host: 127.0.0.1, port: 5432 } ] }
                      - { name: us-west-2, role: standby }
                    replication:
                      - name: heartbeat-link
                        from: us-east-1
                        to: us-west-2
                        method: heartbeat
                        interval: 1s
                %s      - name: native-link
                        from: us-east-1
                        to: us-west-2
                        method: postgres
                        interval: 1s
                %s      - name: cloudwatch-link
                        from: us-east-1
                        to: us-west-2
                        method: cloudwatch-rds-replica-lag
                        targetResource: shop-db-replica-%s
                        interval: 1s
                """.formatted(group, endpoints, endpoints, group);
        Path file = dir.resolve(group + ".yml");
        Files.writeString(file, yaml);
        return file;
    }

    private static ApplicationContext start(Path plan) {
        return ApplicationContext.builder()
                .propertySources(DrplaneService.defaults(ReplicationTrackerApplication.SERVICE))
                .properties(Map.of(
                        "kafka.bootstrap.servers", SharedKafka.bootstrapServers(),
                        "drplane.plan", plan.toString(),
                        "drplane.instance", "it",
                        "drplane.aws.endpoint", MotoServer.shared().endpoint().toString(),
                        "drplane.replication.db-timeout", "2s",
                        "micronaut.server.port", -1))
                .start();
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "rt-it-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return new KafkaConsumer<>(props);
    }
}
