package io.drplane.replicationtracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drplane.devdb.PostgresPair;
import io.drplane.events.LagMethod;
import io.drplane.events.LagStatus;
import io.drplane.events.Reason;
import io.drplane.events.ReasonCode;
import io.drplane.events.ReplicationLagObserved;
import io.drplane.events.RpoBreached;
import io.drplane.events.RpoRestored;
import io.drplane.events.TopologyChanged;
import io.drplane.events.TopologyLink;
import io.drplane.testsupport.MotoServer;
import io.drplane.testsupport.ServiceHealth;
import io.drplane.testsupport.SharedKafka;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

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

    @Test
    void shouldMeasureLagThroughPauseResumeAndOutagesAndPublishRpoCrossings() throws Exception {
        ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
        try (TrackerHarness tracker = new TrackerHarness();
                PostgresPair pair = PostgresPair.start();
                Connection writer = pair.primary()) {
            String secretArn = tracker.secret(PostgresPair.PASSWORD);
            try (CloudWatchClient cloudWatch = CloudWatchClient.builder()
                    .endpointOverride(MotoServer.shared().endpoint())
                    .region(Region.US_WEST_2)
                    .credentialsProvider(TrackerHarness.CREDENTIALS)
                    .build()) {
                cloudWatch.putMetricData(r -> r.namespace("AWS/RDS").metricData(m -> m.metricName("ReplicaLag")
                        .value(2.5)
                        .unit(StandardUnit.SECONDS)
                        .timestamp(Instant.now())
                        .dimensions(d -> d.name("DBInstanceIdentifier").value("shop-db-replica-" + tracker.group))));
            }
            try (Statement s = writer.createStatement()) {
                s.execute("CREATE TABLE orders (id bigserial primary key, placed_at timestamptz default now())");
            }
            // A steady write load: an order every 20 ms, as a shop would have.
            load.scheduleAtFixedRate(
                    () -> {
                        try (Statement s = writer.createStatement()) {
                            s.execute("INSERT INTO orders DEFAULT VALUES");
                        } catch (Exception ignored) {
                            // the primary is stopped at the end of the test
                        }
                    },
                    0,
                    20,
                    TimeUnit.MILLISECONDS);

            try (ApplicationContext ignored = tracker.start(plan(tracker.group, pair, secretArn))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    tracker.poll();
                    return tracker.latest("heartbeat-link")
                                    .filter(ReplicationTrackerIT::caughtUp)
                                    .isPresent()
                            && tracker.latest("native-link")
                                    .filter(ReplicationTrackerIT::caughtUp)
                                    .isPresent()
                            && tracker.latest("cloudwatch-link").isPresent();
                });
                ReplicationLagObserved rds = tracker.latest("cloudwatch-link").orElseThrow();
                assertThat(rds.method()).isEqualTo(LagMethod.CLOUDWATCH_RDS_REPLICA_LAG);
                assertThat(rds.status()).isEqualTo(LagStatus.MEASURED);
                assertThat(rds.lagMillis()).isEqualTo(2_500);
                assertThat(tracker.latest("heartbeat-link").orElseThrow().method())
                        .isEqualTo(LagMethod.HEARTBEAT);
                assertThat(tracker.latest("native-link").orElseThrow().method()).isEqualTo(LagMethod.POSTGRES_NATIVE);

                // Pause replay under the write load: the lag grows with wall time, and tracks the true lag.
                Instant pausedAt = Instant.now();
                pair.pauseReplay();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    tracker.poll();
                    return tracker.lagOf("heartbeat-link") >= 4_000 && tracker.lagOf("native-link") >= 4_000;
                });
                for (String link : List.of("heartbeat-link", "native-link")) {
                    List<ReplicationLagObserved> paused = tracker.after(link, pausedAt.plusMillis(1_500));
                    assertThat(paused).as(link + " readings while paused").hasSizeGreaterThanOrEqualTo(2);
                    for (ReplicationLagObserved reading : paused) {
                        long trueLag =
                                Duration.between(pausedAt, reading.observedAt()).toMillis();
                        assertThat(Math.abs(reading.lagMillis() - trueLag))
                                .as(
                                        "%s error at %s (measured %d, true %d)",
                                        link, reading.observedAt(), reading.lagMillis(), trueLag)
                                .isLessThan(TOLERANCE);
                    }
                    assertThat(paused.get(paused.size() - 1).lagMillis())
                            .as(link + " grows")
                            .isGreaterThan(paused.get(0).lagMillis());
                }

                // Resume: back under one interval, and the RPO (2 s) crossings were published both ways.
                pair.resumeReplay();
                Instant resumedAt = Instant.now();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    tracker.poll();
                    return tracker.latestAfter("heartbeat-link", resumedAt)
                                    .filter(l -> l.lagMillis() <= INTERVAL)
                                    .isPresent()
                            && tracker.latestAfter("native-link", resumedAt)
                                    .filter(l -> l.lagMillis() <= INTERVAL)
                                    .isPresent()
                            && tracker.rpoEvents.stream()
                                            .filter(e -> e instanceof RpoRestored)
                                            .count()
                                    >= 2;
                });
                assertThat(tracker.rpoEvents)
                        .filteredOn(e -> e instanceof RpoBreached)
                        .extracting(e -> ((RpoBreached) e).name())
                        .contains("heartbeat-link", "native-link");
                assertThat(tracker.rpoEvents)
                        .filteredOn(e -> e instanceof RpoBreached)
                        .allSatisfy(e ->
                                assertThat(((RpoBreached) e).reason().code()).isEqualTo(ReasonCode.RPO_BREACHED));

                // The replica stops: the lag is UNKNOWN, never zero.
                pair.stopReplica();
                Instant replicaStopped = Instant.now();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    tracker.poll();
                    return tracker.latestAfter("heartbeat-link", replicaStopped)
                                    .filter(l -> l.status() == LagStatus.UNKNOWN)
                                    .isPresent()
                            && tracker.latestAfter("native-link", replicaStopped)
                                    .filter(l -> l.status() == LagStatus.UNKNOWN)
                                    .isPresent();
                });
                assertThat(tracker.latest("native-link").orElseThrow().lagMillis())
                        .isNull();
                assertThat(tracker.latest("native-link").orElseThrow().detail()).contains("replica");

                // Back, then the primary stops: the lag is "at least X", and X grows.
                pair.startReplica();
                Instant replicaBack = Instant.now();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    tracker.poll();
                    return tracker.latestAfter("heartbeat-link", replicaBack)
                                    .filter(ReplicationTrackerIT::caughtUp)
                                    .isPresent()
                            && tracker.latestAfter("native-link", replicaBack)
                                    .filter(ReplicationTrackerIT::caughtUp)
                                    .isPresent();
                });
                load.shutdownNow();
                pair.stopPrimary();
                Instant primaryStopped = Instant.now();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    tracker.poll();
                    return atLeastGrowing(tracker, "heartbeat-link", primaryStopped)
                            && atLeastGrowing(tracker, "native-link", primaryStopped);
                });
                assertThat(tracker.latest("heartbeat-link").orElseThrow().detail())
                        .contains("primary");
            }
        } finally {
            load.shutdownNow();
        }
    }

    static boolean caughtUp(ReplicationLagObserved l) {
        return l.status() == LagStatus.MEASURED && l.lagMillis() <= TOLERANCE;
    }

    private static boolean atLeastGrowing(TrackerHarness tracker, String link, Instant after) {
        List<ReplicationLagObserved> readings = tracker.after(link, after).stream()
                .filter(l -> l.status() == LagStatus.AT_LEAST)
                .toList();
        return readings.size() >= 2
                && readings.get(readings.size() - 1).lagMillis()
                        > readings.get(0).lagMillis();
    }

    @Test
    void shouldMeasureTheLinksOfTheLiveTopologyTheCoordinatorPublishes() throws Exception {
        try (TrackerHarness tracker = new TrackerHarness()) {
            String replica = "rep-" + tracker.group;
            String primary = "db-" + tracker.group;
            putReplicaLag("us-west-2", replica, 1.5, Instant.now());
            // an earlier life of the name, seconds ago: a replica called so, far behind, until a failover promoted it
            putReplicaLag("us-east-1", primary, 7.0, Instant.now().minusSeconds(5));
            Path plan = Files.writeString(
                    dir.resolve(tracker.group + "-topology.yml"),
                    """
                    version: 1
                    vantagePoints: [v1]
                    groups:
                      - id: %s
                        strategy: warm-standby
                        mode: observe
                        objectives: { rto: 15m, rpo: 1m }
                        regions:
                          - { name: us-east-1, role: primary, targets: [ { name: db, kind: tcp, host: 127.0.0.1, port: 5432 } ], database: { kind: rds-instance, identifier: %s } }
                          - { name: us-west-2, role: standby, database: { kind: rds-instance, identifier: %s } }
                        replication:
                          - { name: orders, from: us-east-1, to: us-west-2, method: cloudwatch-rds-replica-lag, targetResource: %s, interval: 1s }
                    """
                            .formatted(tracker.group, primary, replica, replica));
            try (ApplicationContext ignored = tracker.start(plan)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    tracker.poll();
                    return tracker.latest("orders").isPresent();
                });
                assertThat(tracker.latest("orders").orElseThrow().lagMillis()).isEqualTo(1_500);
                assertThat(tracker.latest("orders-reversed"))
                        .as("no such link yet")
                        .isEmpty();

                // the coordinator: us-west-2 is primary and re-protect made us-east-1 its replica
                tracker.publishTopology(new TopologyChanged(
                        tracker.group,
                        "us-west-2",
                        List.of(new TopologyLink("orders-reversed", "us-west-2", "us-east-1")),
                        3,
                        tracker.group + "-reprotect-2",
                        Instant.now(),
                        Reason.of(
                                ReasonCode.TOPOLOGY_CHANGED,
                                "orders-reversed replicates us-west-2 into us-east-1 now.")));
                Instant changed = Instant.now();

                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    tracker.poll();
                    return tracker.latest("orders-reversed").isPresent();
                });
                ReplicationLagObserved stale = tracker.latest("orders-reversed").orElseThrow();
                assertThat(stale.status())
                        .as("the old datapoint is not the new replica's")
                        .isEqualTo(LagStatus.UNKNOWN);
                assertThat(stale.detail()).contains("is from before the link existed");

                // the replica re-protect made; its first datapoint of a minute after the earlier life's last one
                putReplicaLag("us-east-1", primary, 0.25, Instant.now().plusSeconds(60));
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    tracker.poll();
                    return tracker.latest("orders-reversed")
                            .filter(l -> l.status() == LagStatus.MEASURED)
                            .isPresent();
                });
                assertThat(tracker.lags)
                        .filteredOn(l -> l.link().equals("orders-reversed") && l.status() == LagStatus.MEASURED)
                        .extracting(ReplicationLagObserved::lagMillis)
                        .as("never the old replica's 7 s")
                        .containsOnly(250L);
                ReplicationLagObserved reversed =
                        tracker.latest("orders-reversed").orElseThrow();
                assertThat(reversed.sourceRegion()).isEqualTo("us-west-2");
                assertThat(reversed.targetRegion()).isEqualTo("us-east-1");
                assertThat(reversed.lagMillis())
                        .as("read on the new replica, in its region")
                        .isEqualTo(250L);
                await().pollDelay(Duration.ofSeconds(3))
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> {
                            tracker.poll();
                            return true;
                        });
                assertThat(tracker.after("orders", changed.plusSeconds(2)))
                        .as("the broken link is no longer measured")
                        .isEmpty();
                assertThat(tracker.after("orders-reversed", changed.plusSeconds(2)))
                        .as("the live one is, every interval")
                        .isNotEmpty();
            }
        }
    }

    private static void putReplicaLag(String region, String instance, double seconds, Instant at) {
        try (CloudWatchClient cloudWatch = CloudWatchClient.builder()
                .endpointOverride(MotoServer.shared().endpoint())
                .region(Region.of(region))
                .credentialsProvider(TrackerHarness.CREDENTIALS)
                .build()) {
            cloudWatch.putMetricData(r -> r.namespace("AWS/RDS").metricData(m -> m.metricName("ReplicaLag")
                    .value(seconds)
                    .unit(StandardUnit.SECONDS)
                    .timestamp(at)
                    .dimensions(d -> d.name("DBInstanceIdentifier").value(instance))));
        }
    }

    @Test
    void shouldSayOnHealthWhenTheBrokerRefusesItsCredentials() throws Exception {
        try (TrackerHarness tracker = new TrackerHarness()) {
            SharedKafka.broker().user("tracker-wrong-password");
            Path wrong = SharedKafka.propertiesFile(
                    SharedKafka.broker().userWithPassword("tracker-wrong-password", "not-the-password"));
            Path plan = dir.resolve("unreachable.yml");
            Files.writeString(
                    plan,
                    """
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
                          - { name: cw, from: us-east-1, to: us-west-2, method: cloudwatch-rds-replica-lag, targetResource: r, interval: 1s }
                    """
                            .formatted(tracker.group));
            try (ApplicationContext context = tracker.start(plan, wrong)) {
                String body = ServiceHealth.awaitDown(
                        context.getBean(EmbeddedServer.class).start().getURI(), Duration.ofSeconds(60));
                assertThat(body)
                        .as("DOWN, saying why")
                        .containsIgnoringCase("authentication")
                        .doesNotContain("not-the-password");
            }
        }
    }

    private Path plan(String group, PostgresPair pair, String secretArn) throws Exception {
        String endpoints =
                """
                        source: { jdbcUrl: "%s", username: drplane, password: "secretsmanager:%s" }
                        target: { jdbcUrl: "%s", username: drplane, password: "secretsmanager:%s" }
                """
                        .formatted(pair.primaryUrl(), secretArn, pair.replicaUrl(), secretArn);
        String yaml =
                """
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
                """
                        .formatted(group, endpoints, endpoints, group);
        Path file = dir.resolve(group + ".yml");
        Files.writeString(file, yaml);
        return file;
    }
}
