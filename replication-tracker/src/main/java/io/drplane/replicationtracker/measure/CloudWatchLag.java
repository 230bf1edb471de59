package io.drplane.replicationtracker.measure;

import io.drplane.events.LagMethod;
import io.drplane.plan.ReplicationLink;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;

/**
 * Replication lag as AWS reports it in CloudWatch, fetched in batches with {@code GetMetricData} (one call per region
 * for up to 500 queries): RDS {@code ReplicaLag} (seconds, on the replica), {@code AuroraGlobalDBReplicationLag}
 * (milliseconds, on the secondary cluster), DynamoDB global tables {@code ReplicationLatency} (milliseconds, by
 * receiving region) and S3 replication {@code ReplicationLatency} (seconds) with {@code BytesPendingReplication} and
 * {@code OperationsPendingReplication}. The newest datapoint of the last 10 minutes counts; none is UNKNOWN.
 */
public final class CloudWatchLag implements AutoCloseable {

    static final Duration WINDOW = Duration.ofMinutes(10);
    /** RDS publishes ReplicaLag once a minute: read the maximum of each minute. */
    public static final Duration PERIOD = Duration.ofMinutes(1);

    private static final int MAX_QUERIES = 500;
    /** The end of a GetMetricData range is exclusive: reach past now so a datapoint stamped this instant counts. */
    private static final Duration END_MARGIN = Duration.ofMinutes(1);

    private record Query(String linkName, String role, MetricDataQuery query, double toMillis) {}

    private final Clock clock;
    private final Optional<URI> endpoint;
    private final Map<String, CloudWatchClient> clients = new ConcurrentHashMap<>();

    public CloudWatchLag(Clock clock, Optional<URI> endpoint) {
        this.clock = clock;
        this.endpoint = endpoint;
    }

    /** The region whose CloudWatch holds a link's metric. */
    public static String queryRegion(ReplicationLink link) {
        return switch (link.method()) {
            case CLOUDWATCH_RDS_REPLICA_LAG, CLOUDWATCH_AURORA_GLOBAL_DB_LAG -> link.to();
            default -> link.from();
        };
    }

    public static LagMethod lagMethod(ReplicationLink.Method method) {
        return switch (method) {
            case CLOUDWATCH_RDS_REPLICA_LAG -> LagMethod.CLOUDWATCH_RDS_REPLICA_LAG;
            case CLOUDWATCH_AURORA_GLOBAL_DB_LAG -> LagMethod.CLOUDWATCH_AURORA_GLOBAL_DB_LAG;
            case CLOUDWATCH_DYNAMODB_REPLICATION_LATENCY -> LagMethod.CLOUDWATCH_DYNAMODB_REPLICATION_LATENCY;
            case CLOUDWATCH_S3_REPLICATION_LATENCY -> LagMethod.CLOUDWATCH_S3_REPLICATION_LATENCY;
            case HEARTBEAT -> LagMethod.HEARTBEAT;
            case POSTGRES -> LagMethod.POSTGRES_NATIVE;
            case MYSQL -> LagMethod.MYSQL_NATIVE;
        };
    }

    /** Readings for every link, all queried in {@code region}; a failed call makes each of its links UNKNOWN. */
    public Map<String, LagReading> measure(String region, List<ReplicationLink> links) {
        return measure(region, links, Map.of());
    }

    /**
     * Readings for every link, each with the start of the minute its value is of; a link named in {@code notBefore}
     * counts only a datapoint of a minute that began after that time. A re-created replica has the name of one that
     * existed before (re-protect gives the old primary's name to the new replica), and CloudWatch keeps the old one's
     * datapoints under it: those must not pass for the new one's.
     */
    public Map<String, LagReading> measure(String region, List<ReplicationLink> links, Map<String, Instant> notBefore) {
        List<Query> queries = new ArrayList<>();
        for (int i = 0; i < links.size(); i++) {
            queries.addAll(queries(links.get(i), i));
        }
        Map<String, Map<String, Double>> values = new HashMap<>();
        Map<String, Instant> newest = new HashMap<>();
        Map<String, String> failures = new HashMap<>();
        Instant end = clock.instant();
        for (int from = 0; from < queries.size(); from += MAX_QUERIES) {
            List<Query> batch = queries.subList(from, Math.min(queries.size(), from + MAX_QUERIES));
            try {
                Map<String, Query> byId = new HashMap<>();
                batch.forEach(q -> byId.put(q.query().id(), q));
                // periods on minute boundaries, as CloudWatch keeps them: the same datapoint is in the same minute
                // whenever it is read, so minutes can be compared from one reading to the next
                GetMetricDataResponse response = client(region).getMetricData(r -> r.startTime(
                                end.minus(WINDOW).truncatedTo(java.time.temporal.ChronoUnit.MINUTES))
                        .endTime(end.plus(END_MARGIN))
                        .scanBy(ScanBy.TIMESTAMP_DESCENDING)
                        .metricDataQueries(batch.stream().map(Query::query).toList()));
                for (MetricDataResult result : response.metricDataResults()) {
                    Query q = byId.get(result.id());
                    if (q != null && !result.values().isEmpty()) {
                        values.computeIfAbsent(q.linkName(), k -> new HashMap<>())
                                .put(q.role(), result.values().get(0) * q.toMillis());
                        if ("lag".equals(q.role()) && !result.timestamps().isEmpty()) {
                            newest.put(q.linkName(), result.timestamps().get(0));
                        }
                    }
                }
            } catch (RuntimeException e) {
                String message = "CloudWatch GetMetricData in " + region + " failed: " + e.getMessage();
                batch.forEach(q -> failures.put(q.linkName(), message));
            }
        }
        Map<String, LagReading> readings = new LinkedHashMap<>();
        for (ReplicationLink link : links) {
            Map<String, Double> linkValues = values.getOrDefault(link.name(), Map.of());
            if (failures.containsKey(link.name())) {
                readings.put(link.name(), LagReading.unknown(failures.get(link.name())));
            } else if (linkValues.containsKey("lag")
                    && notBefore.containsKey(link.name())
                    && newest.containsKey(link.name())
                    && !newest.get(link.name()).isAfter(notBefore.get(link.name()))) {
                readings.put(
                        link.name(),
                        LagReading.unknown("the newest " + metricName(link.method()) + " datapoint (minute of "
                                        + newest.get(link.name()) + ") is from before the link existed")
                                .at(newest.get(link.name())));
            } else if (!linkValues.containsKey("lag")) {
                readings.put(
                        link.name(),
                        LagReading.unknown("no " + metricName(link.method()) + " datapoint in the last "
                                + WINDOW.toMinutes() + " minutes"));
            } else {
                Double bytes = linkValues.get("bytes");
                Double operations = linkValues.get("operations");
                LagReading reading = LagReading.measured(
                        Math.round(linkValues.get("lag")),
                        bytes == null ? null : Math.round(bytes),
                        operations == null ? null : Math.round(operations) + " operations pending replication");
                readings.put(
                        link.name(), newest.containsKey(link.name()) ? reading.at(newest.get(link.name())) : reading);
            }
        }
        return readings;
    }

    private static List<Query> queries(ReplicationLink link, int index) {
        String id = "l" + index;
        return switch (link.method()) {
            case CLOUDWATCH_RDS_REPLICA_LAG -> List.of(query(
                    link,
                    id + "lag",
                    "lag",
                    "AWS/RDS",
                    "ReplicaLag",
                    1000,
                    Map.of("DBInstanceIdentifier", link.targetResource())));
            case CLOUDWATCH_AURORA_GLOBAL_DB_LAG -> List.of(query(
                    link,
                    id + "lag",
                    "lag",
                    "AWS/RDS",
                    "AuroraGlobalDBReplicationLag",
                    1,
                    Map.of("DBClusterIdentifier", link.targetResource())));
            case CLOUDWATCH_DYNAMODB_REPLICATION_LATENCY -> List.of(query(
                    link,
                    id + "lag",
                    "lag",
                    "AWS/DynamoDB",
                    "ReplicationLatency",
                    1,
                    Map.of("TableName", link.sourceResource(), "ReceivingRegion", link.to())));
            case CLOUDWATCH_S3_REPLICATION_LATENCY -> {
                Map<String, String> dims = Map.of(
                        "SourceBucket",
                        link.sourceResource(),
                        "DestinationBucket",
                        link.targetResource(),
                        "RuleId",
                        link.ruleId());
                yield List.of(
                        query(link, id + "lag", "lag", "AWS/S3", "ReplicationLatency", 1000, dims),
                        query(link, id + "bytes", "bytes", "AWS/S3", "BytesPendingReplication", 1, dims),
                        query(link, id + "ops", "operations", "AWS/S3", "OperationsPendingReplication", 1, dims));
            }
            default -> throw new IllegalArgumentException(link.method() + " is not a CloudWatch method");
        };
    }

    private static Query query(
            ReplicationLink link,
            String id,
            String role,
            String namespace,
            String metric,
            double toMillis,
            Map<String, String> dimensions) {
        MetricDataQuery query = MetricDataQuery.builder()
                .id(id)
                .returnData(true)
                .metricStat(
                        s -> s.period((int) PERIOD.toSeconds()).stat("Maximum").metric(m -> m.namespace(namespace)
                                .metricName(metric)
                                .dimensions(dimensions.entrySet().stream()
                                        .map(d -> Dimension.builder()
                                                .name(d.getKey())
                                                .value(d.getValue())
                                                .build())
                                        .toList())))
                .build();
        return new Query(link.name(), role, query, toMillis);
    }

    private static String metricName(ReplicationLink.Method method) {
        return switch (method) {
            case CLOUDWATCH_RDS_REPLICA_LAG -> "ReplicaLag";
            case CLOUDWATCH_AURORA_GLOBAL_DB_LAG -> "AuroraGlobalDBReplicationLag";
            default -> "ReplicationLatency";
        };
    }

    private CloudWatchClient client(String region) {
        return clients.computeIfAbsent(region, r -> {
            var builder = CloudWatchClient.builder()
                    .region(Region.of(r))
                    .httpClient(UrlConnectionHttpClient.create())
                    .overrideConfiguration(ClientOverrideConfiguration.builder()
                            .apiCallTimeout(Duration.ofSeconds(10))
                            .build());
            endpoint.ifPresent(builder::endpointOverride);
            return builder.build();
        });
    }

    @Override
    public void close() {
        clients.values().forEach(CloudWatchClient::close);
    }
}
