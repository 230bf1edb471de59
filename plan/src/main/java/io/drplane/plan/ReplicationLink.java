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

    /** How the link that re-protect creates in the opposite direction of a planned one is named: {@code orders-db-reversed}. */
    public static final String REVERSED_SUFFIX = "-reversed";

    public boolean isReversed() {
        return name.endsWith(REVERSED_SUFFIX);
    }

    /**
     * This link the other way round, as re-protect creates it after a failover: the old primary's region becomes a
     * replica of the new primary. SQL endpoints swap; a CloudWatch metric is read on the new replica, which re-protect
     * creates under the plan's identifier for {@code from}'s database ({@code fromDatabase}).
     */
    public ReplicationLink reversed(@Nullable String fromDatabase) {
        String reversedTargetResource =
                switch (method) {
                    case CLOUDWATCH_RDS_REPLICA_LAG, CLOUDWATCH_AURORA_GLOBAL_DB_LAG -> fromDatabase;
                    case CLOUDWATCH_S3_REPLICATION_LATENCY -> sourceResource;
                    default -> null;
                };
        String reversedSourceResource =
                method == Method.CLOUDWATCH_DYNAMODB_REPLICATION_LATENCY ? sourceResource : targetResource;
        return new ReplicationLink(
                name + REVERSED_SUFFIX,
                to,
                from,
                method,
                interval,
                maxLagOnFailover,
                target,
                source,
                method == Method.CLOUDWATCH_RDS_REPLICA_LAG || method == Method.CLOUDWATCH_AURORA_GLOBAL_DB_LAG
                        ? null
                        : reversedSourceResource,
                reversedTargetResource,
                ruleId,
                heartbeatSchema);
    }
}
