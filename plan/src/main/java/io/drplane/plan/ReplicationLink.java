package io.drplane.plan;

import jakarta.annotation.Nullable;
import java.time.Duration;

/**
 * A replication link whose lag is measured, from a source region to a target region. SQL methods (heartbeat,
 * postgres, mysql) connect to the databases ({@code source}, {@code target}); CloudWatch methods read the metric of
 * a resource ({@code sourceResource}, {@code targetResource}, and the S3 replication rule).
 */
public record ReplicationLink(
        String name,
        String from,
        String to,
        Method method,
        Duration interval,
        Duration maxLagOnFailover,
        @Nullable DatabaseEndpoint source,
        @Nullable DatabaseEndpoint target,
        @Nullable String sourceResource,
        @Nullable String targetResource,
        @Nullable String ruleId,
        @Nullable String heartbeatSchema) {

    public enum Method {
        HEARTBEAT,
        POSTGRES,
        MYSQL,
        CLOUDWATCH_RDS_REPLICA_LAG,
        CLOUDWATCH_AURORA_GLOBAL_DB_LAG,
        CLOUDWATCH_DYNAMODB_REPLICATION_LATENCY,
        CLOUDWATCH_S3_REPLICATION_LATENCY;

        public boolean sql() {
            return this == HEARTBEAT || this == POSTGRES || this == MYSQL;
        }
    }
}
