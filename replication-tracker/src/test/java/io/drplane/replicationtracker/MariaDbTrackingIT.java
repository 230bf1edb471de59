package io.drplane.replicationtracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drplane.events.LagMethod;
import io.drplane.events.LagStatus;
import io.drplane.events.ReplicationLagObserved;
import io.drplane.testsupport.MariaDbPair;
import io.micronaut.context.ApplicationContext;
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

/**
 * The MySQL-family methods against a real MariaDB primary and replica: replica status ({@code mysql}) and the
 * heartbeat (with MariaDB's upsert and a database as the heartbeat schema). Stopping the replica's SQL thread under a
 * write load makes replica status UNKNOWN with the server's reason while the heartbeat measures the growing lag.
 */
class MariaDbTrackingIT {

    private static final long TOLERANCE = 1_100;

    @TempDir
    Path dir;

    @Test
    void shouldReadReplicaStatusAndHeartbeatOnMariaDb() throws Exception {
        ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
        try (TrackerHarness tracker = new TrackerHarness();
                MariaDbPair pair = MariaDbPair.start();
                Connection writer = pair.primary()) {
            String secretArn = tracker.secret(MariaDbPair.PASSWORD);
            try (Statement s = writer.createStatement()) {
                s.execute("CREATE TABLE orders (id BIGINT AUTO_INCREMENT PRIMARY KEY)");
            }
            load.scheduleAtFixedRate(
                    () -> {
                        try (Statement s = writer.createStatement()) {
                            s.execute("INSERT INTO orders VALUES ()");
                        } catch (Exception ignored) {
                            // not expected while the test runs
                        }
                    },
                    0,
                    20,
                    TimeUnit.MILLISECONDS);

            try (ApplicationContext ignored = tracker.start(plan(tracker.group, pair, secretArn))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    tracker.poll();
                    return tracker.latest("status-link")
                                    .filter(l -> l.status() == LagStatus.MEASURED && l.lagMillis() == 0)
                                    .isPresent()
                            && tracker.latest("heartbeat-link")
                                    .filter(ReplicationTrackerIT::caughtUp)
                                    .isPresent();
                });
                assertThat(tracker.latest("status-link").orElseThrow().method()).isEqualTo(LagMethod.MYSQL_NATIVE);

                Instant stoppedAt = Instant.now();
                pair.stopReplicaSqlThread();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    tracker.poll();
                    return tracker.latestAfter("status-link", stoppedAt)
                                    .filter(l -> l.status() == LagStatus.UNKNOWN)
                                    .isPresent()
                            && tracker.lagOf("heartbeat-link") >= 3_000;
                });
                ReplicationLagObserved status = tracker.latest("status-link").orElseThrow();
                assertThat(status.lagMillis()).isNull();
                assertThat(status.detail()).startsWith("replication is not running (IO Yes, SQL No)");
                List<ReplicationLagObserved> heartbeat = tracker.after("heartbeat-link", stoppedAt.plusMillis(1_500));
                assertThat(heartbeat).isNotEmpty().allSatisfy(reading -> {
                    long trueLag =
                            Duration.between(stoppedAt, reading.observedAt()).toMillis();
                    assertThat(Math.abs(reading.lagMillis() - trueLag))
                            .as("measured %d, true %d", reading.lagMillis(), trueLag)
                            .isLessThan(TOLERANCE);
                });

                pair.startReplicaSqlThread();
                Instant restartedAt = Instant.now();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    tracker.poll();
                    return tracker.latestAfter("status-link", restartedAt)
                                    .filter(l -> l.status() == LagStatus.MEASURED)
                                    .isPresent()
                            && tracker.latestAfter("heartbeat-link", restartedAt)
                                    .filter(ReplicationTrackerIT::caughtUp)
                                    .isPresent();
                });
            }
        } finally {
            load.shutdownNow();
        }
    }

    private Path plan(String group, MariaDbPair pair, String secretArn) throws Exception {
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
                      - { name: us-east-1, role: primary, targets: [ { name: db, kind: tcp, host: 127.0.0.1, port: 3306 } ] }
                      - { name: us-west-2, role: standby }
                    replication:
                      - name: heartbeat-link
                        from: us-east-1
                        to: us-west-2
                        method: heartbeat
                        interval: 1s
                %s      - name: status-link
                        from: us-east-1
                        to: us-west-2
                        method: mysql
                        interval: 1s
                %s"""
                        .formatted(group, endpoints, endpoints);
        Path file = dir.resolve(group + ".yml");
        Files.writeString(file, yaml);
        return file;
    }
}
