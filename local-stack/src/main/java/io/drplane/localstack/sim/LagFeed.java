package io.drplane.localstack.sim;

import io.drplane.plan.Group;
import io.drplane.plan.Plan;
import io.drplane.plan.ReplicationLink;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * The simulated database's replication lag, published as RDS publishes it: {@code ReplicaLag} (seconds, per
 * replica instance) or {@code AuroraGlobalDBReplicationLag} (milliseconds, per cluster) datapoints in the emulator's
 * CloudWatch, in the replica's region, every time {@link #publish()} runs. The replication tracker reads them with
 * the same GetMetricData calls it makes against AWS. Links measured another way (heartbeat, PostgreSQL, MySQL) are
 * not fed: {@link #unfed()} names them.
 */
public final class LagFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LagFeed.class);

    private final List<ReplicationLink> links = new ArrayList<>();
    private final List<String> unfed = new ArrayList<>();
    private final Map<String, Double> lagSeconds = new ConcurrentHashMap<>();
    private final Map<String, CloudWatchClient> clients = new HashMap<>();
    private final URI endpoint;
    private final ReplicatedDatabase database;

    /** @param database the real replicated database whose lag every link reports, or null for numbers set through {@link #lag} */
    LagFeed(Plan plan, URI endpoint, ReplicatedDatabase database) {
        this.endpoint = endpoint;
        this.database = database;
        for (Group group : plan.groups()) {
            for (ReplicationLink link : group.replication()) {
                if (link.method() == ReplicationLink.Method.CLOUDWATCH_RDS_REPLICA_LAG
                        || link.method() == ReplicationLink.Method.CLOUDWATCH_AURORA_GLOBAL_DB_LAG) {
                    links.add(link);
                    lagSeconds.put(link.name(), 0.0);
                } else {
                    unfed.add(group.id() + "/" + link.name());
                }
            }
        }
    }

    public List<String> links() {
        return links.stream().map(ReplicationLink::name).toList();
    }

    public List<String> unfed() {
        return List.copyOf(unfed);
    }

    public void lag(String link, double seconds) {
        if (!lagSeconds.containsKey(link)) {
            throw new IllegalArgumentException(
                    "no CloudWatch-measured replication link '" + link + "'; links: " + lagSeconds.keySet());
        }
        if (database != null) {
            throw new IllegalArgumentException(
                    "the lag of " + link + " is measured on a real PostgreSQL replica; pause its replay instead"
                            + " (POST /sim/database/replay?on=false)");
        }
        lagSeconds.put(link, seconds);
    }

    public Map<String, Double> lags() {
        if (database != null) {
            double measured = database.lagSeconds();
            links.forEach(l -> lagSeconds.put(l.name(), measured));
        }
        return Map.copyOf(lagSeconds);
    }

    /** One datapoint per link, now. */
    public void publish() {
        Instant now = Instant.now();
        Map<String, Double> current;
        try {
            current = lags();
        } catch (RuntimeException e) {
            LOG.warn("could not measure the replica's lag: {}", e.getMessage());
            return; // no datapoint: the tracker sees the lag go stale, as it would with RDS
        }
        for (ReplicationLink link : links) {
            boolean aurora = link.method() == ReplicationLink.Method.CLOUDWATCH_AURORA_GLOBAL_DB_LAG;
            double seconds = current.get(link.name());
            try {
                client(link.to()).putMetricData(r -> r.namespace("AWS/RDS")
                        .metricData(d -> d.metricName(aurora ? "AuroraGlobalDBReplicationLag" : "ReplicaLag")
                                .dimensions(Dimension.builder()
                                        .name(aurora ? "DBClusterIdentifier" : "DBInstanceIdentifier")
                                        .value(link.targetResource())
                                        .build())
                                .unit(aurora ? StandardUnit.MILLISECONDS : StandardUnit.SECONDS)
                                .value(aurora ? seconds * 1000 : seconds)
                                .timestamp(now)));
            } catch (RuntimeException e) {
                LOG.warn("could not publish the lag of {}: {}", link.name(), e.toString());
            }
        }
    }

    private CloudWatchClient client(String region) {
        return clients.computeIfAbsent(region, r -> CloudWatchClient.builder()
                .region(Region.of(r))
                .endpointOverride(endpoint)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build());
    }

    @Override
    public void close() {
        clients.values().forEach(CloudWatchClient::close);
    }
}
