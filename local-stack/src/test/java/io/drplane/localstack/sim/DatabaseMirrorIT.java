package io.drplane.localstack.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drplane.executor.aws.AwsClients;
import io.drplane.plan.Group;
import io.drplane.plan.Plan;
import io.drplane.plan.load.PlanLoader;
import io.drplane.testsupport.MotoServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The real PostgreSQL pair follows the emulator's RDS instances through a failover and re-protect, and the lag feed
 * follows the pair: the plan's link before, nothing between the promotion and re-protect, the reversed link after,
 * its ReplicaLag read on the new replica in the old primary's region.
 */
class DatabaseMirrorIT {

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void shouldPromoteAndRebuildThePairAsTheEmulatorSays() {
        String primary = "db-" + suffix;
        String replica = "db-" + suffix + "-usw2";
        Plan plan = PlanLoader.parse(
                """
                version: 1
                vantagePoints: [v1]
                groups:
                  - id: g-%s
                    strategy: warm-standby
                    mode: automatic
                    objectives: { rto: 15m, rpo: 1m }
                    regions:
                      - { name: us-east-1, role: primary, targets: [ { name: web, kind: http, url: "http://127.0.0.1:1/" } ], database: { kind: rds-instance, identifier: %s } }
                      - { name: us-west-2, role: standby, targets: [ { name: web, kind: http, url: "http://127.0.0.1:1/" } ], database: { kind: rds-instance, identifier: %s } }
                    replication:
                      - { name: orders, from: us-east-1, to: us-west-2, method: cloudwatch-rds-replica-lag, targetResource: %s }
                """
                        .formatted(suffix, primary, replica, replica),
                "mirror.yml");
        Group group = plan.groups().get(0);
        var endpoint = MotoServer.shared().endpoint();
        AwsSeed seed = new AwsSeed(endpoint).seed(plan, Map.of());
        seed.close();
        ReplicatedDatabase database = new ReplicatedDatabase("us-east-1", "us-west-2");
        try (AwsClients east = clients("us-east-1");
                AwsClients west = clients("us-west-2");
                DatabaseMirror mirror = new DatabaseMirror(group, endpoint, database);
                LagFeed feed = new LagFeed(plan, endpoint, database, group.id())) {
            assertThat(feed.lags()).containsOnlyKeys("orders");

            // the failover: the executor promotes the replica in the emulator
            west.rds().promoteReadReplica(r -> r.dbInstanceIdentifier(replica));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> database.writerRegion().equals("us-west-2"));
            assertThat(database.replicating()).isFalse();
            assertThat(feed.lags()).as("no replica, no lag to feed").isEmpty();

            // re-protect: the old primary fenced (renamed), a read replica of the new primary under its name
            east.rds().modifyDBInstance(r -> r.dbInstanceIdentifier(primary)
                    .newDBInstanceIdentifier(primary + "-fenced-1")
                    .applyImmediately(true));
            String newPrimaryArn = west.rds()
                    .describeDBInstances(r -> r.dbInstanceIdentifier(replica))
                    .dbInstances()
                    .get(0)
                    .dbInstanceArn();
            east.rds().createDBInstanceReadReplica(r -> r.dbInstanceIdentifier(primary)
                    .sourceDBInstanceIdentifier(newPrimaryArn));
            await().atMost(Duration.ofSeconds(60)).until(database::replicating);
            assertThat(database.readerRegion()).isEqualTo("us-east-1");
            await().atMost(Duration.ofSeconds(20)).until(() -> feed.lags().containsKey("orders-reversed"));
            assertThat(feed.lags()).containsOnlyKeys("orders-reversed");

            Instant before = Instant.now().minusSeconds(60);
            feed.publish();
            var datapoints = software.amazon.awssdk.services.cloudwatch.CloudWatchClient.builder()
                    .endpointOverride(endpoint)
                    .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                    .build()
                    .getMetricStatistics(r -> r.namespace("AWS/RDS")
                            .metricName("ReplicaLag")
                            .dimensions(d -> d.name("DBInstanceIdentifier").value(primary))
                            .startTime(before)
                            .endTime(Instant.now().plusSeconds(60))
                            .period(60)
                            .statistics(software.amazon.awssdk.services.cloudwatch.model.Statistic.MAXIMUM))
                    .datapoints();
            assertThat(datapoints)
                    .as("the reversed link's lag, on the new replica in us-east-1")
                    .isNotEmpty();
        } finally {
            database.close();
        }
    }

    private static AwsClients clients(String region) {
        return new AwsClients(
                region,
                Optional.of(MotoServer.shared().endpoint()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")),
                Duration.ofSeconds(10),
                List.of());
    }
}
