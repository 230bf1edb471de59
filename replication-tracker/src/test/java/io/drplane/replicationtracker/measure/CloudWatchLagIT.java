package io.drplane.replicationtracker.measure;

import static org.assertj.core.api.Assertions.assertThat;

import io.drplane.events.LagStatus;
import io.drplane.plan.ReplicationLink;
import io.drplane.testsupport.MotoServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;

/** Each CloudWatch lag metric, put into moto and read back in one GetMetricData batch per region. */
class CloudWatchLagIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);

    @BeforeAll
    static void credentials() {
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
    }

    @Test
    void shouldReadEveryKindOfLagMetricInOneBatchPerRegion() {
        put(Region.US_WEST_2, "AWS/RDS", "ReplicaLag", 3.0, Map.of("DBInstanceIdentifier", "replica-" + RUN));
        put(
                Region.US_WEST_2,
                "AWS/RDS",
                "AuroraGlobalDBReplicationLag",
                850.0,
                Map.of("DBClusterIdentifier", "secondary-" + RUN));
        put(
                Region.US_EAST_1,
                "AWS/DynamoDB",
                "ReplicationLatency",
                420.0,
                Map.of("TableName", "orders-" + RUN, "ReceivingRegion", "us-west-2"));
        Map<String, String> s3 =
                Map.of("SourceBucket", "src-" + RUN, "DestinationBucket", "dst-" + RUN, "RuleId", "all");
        put(Region.US_EAST_1, "AWS/S3", "ReplicationLatency", 12.0, s3);
        put(Region.US_EAST_1, "AWS/S3", "BytesPendingReplication", 1_048_576.0, s3);
        put(Region.US_EAST_1, "AWS/S3", "OperationsPendingReplication", 17.0, s3);

        ReplicationLink rds =
                link("rds", ReplicationLink.Method.CLOUDWATCH_RDS_REPLICA_LAG, null, "replica-" + RUN, null);
        ReplicationLink aurora =
                link("aurora", ReplicationLink.Method.CLOUDWATCH_AURORA_GLOBAL_DB_LAG, null, "secondary-" + RUN, null);
        ReplicationLink dynamo = link(
                "dynamo", ReplicationLink.Method.CLOUDWATCH_DYNAMODB_REPLICATION_LATENCY, "orders-" + RUN, null, null);
        ReplicationLink bucket = link(
                "bucket", ReplicationLink.Method.CLOUDWATCH_S3_REPLICATION_LATENCY, "src-" + RUN, "dst-" + RUN, "all");
        ReplicationLink silent =
                link("silent", ReplicationLink.Method.CLOUDWATCH_RDS_REPLICA_LAG, null, "no-such-replica-" + RUN, null);

        try (CloudWatchLag cloudWatch = new CloudWatchLag(
                Clock.systemUTC(), Optional.of(MotoServer.shared().endpoint()))) {
            assertThat(CloudWatchLag.queryRegion(rds)).isEqualTo("us-west-2");
            assertThat(CloudWatchLag.queryRegion(dynamo)).isEqualTo("us-east-1");
            Map<String, LagReading> west = cloudWatch.measure("us-west-2", List.of(rds, aurora, silent));
            Map<String, LagReading> east = cloudWatch.measure("us-east-1", List.of(dynamo, bucket));

            assertThat(west.get("rds"))
                    .usingRecursiveComparison()
                    .ignoringFields("dataAt")
                    .isEqualTo(LagReading.measured(3_000, null, null));
            assertThat(west.get("aurora"))
                    .usingRecursiveComparison()
                    .ignoringFields("dataAt")
                    .isEqualTo(LagReading.measured(850, null, null));
            assertThat(west.get("silent").status()).isEqualTo(LagStatus.UNKNOWN);
            assertThat(west.get("silent").detail()).isEqualTo("no ReplicaLag datapoint in the last 10 minutes");
            assertThat(east.get("dynamo"))
                    .usingRecursiveComparison()
                    .ignoringFields("dataAt")
                    .isEqualTo(LagReading.measured(420, null, null));
            assertThat(east.get("bucket"))
                    .usingRecursiveComparison()
                    .ignoringFields("dataAt")
                    .isEqualTo(LagReading.measured(12_000, 1_048_576L, "17 operations pending replication"));
            assertThat(west.get("rds").dataAt())
                    .as("the minute the value is of, on a minute boundary")
                    .isNotNull()
                    .satisfies(at -> assertThat(at.getEpochSecond() % 60).isZero());
        }
    }

    private static void put(
            Region region, String namespace, String metric, double value, Map<String, String> dimensions) {
        try (CloudWatchClient client = CloudWatchClient.builder()
                .endpointOverride(MotoServer.shared().endpoint())
                .region(region)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build()) {
            client.putMetricData(r -> r.namespace(namespace).metricData(m -> m.metricName(metric)
                    .value(value)
                    .timestamp(Instant.now())
                    .dimensions(dimensions.entrySet().stream()
                            .map(d -> Dimension.builder()
                                    .name(d.getKey())
                                    .value(d.getValue())
                                    .build())
                            .toList())));
        }
    }

    private static ReplicationLink link(
            String name, ReplicationLink.Method method, String source, String target, String rule) {
        return new ReplicationLink(
                name,
                "us-east-1",
                "us-west-2",
                method,
                Duration.ofSeconds(5),
                Duration.ofMinutes(1),
                null,
                null,
                source,
                target,
                rule,
                null);
    }
}
