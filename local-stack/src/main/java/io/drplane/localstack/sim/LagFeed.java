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
 * not fed: {@link #unfed()} names them. Every link that can exist is fed while it does: with the real database, the
 * link into the region whose server streams now (the plan's link, or after a failover and re-protect the reversed one),
 * nothing between a promotion and re-protect, as RDS has no replica then.
 */
public final class LagFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LagFeed.class);

    private final List<ReplicationLink> links = new ArrayList<>();
    private final List<String> unfed = new ArrayList<>();
    private final Map<String, Double> lagSeconds = new ConcurrentHashMap<>();
    private final Map<String, CloudWatchClient> clients = new HashMap<>();
    private final Map<String, String> groups = new HashMap<>();
    private final URI endpoint;
    private final ReplicatedDatabase database;
    /** The group whose links follow the real database's direction (null: every link is the database's). */
    private final String mirrored;

    /** @param database the real replicated database whose lag every link reports, or null for numbers set through {@link #lag} */
    LagFeed(Plan plan, URI endpoint, ReplicatedDatabase database, String mirrored) {
        this.endpoint = endpoint;
        this.database = database;
        this.mirrored = mirrored;
        for (Group group : plan.groups()) {
            for (ReplicationLink link : group.possibleLinks()) {
                if (link.isReversed() && database != null && !group.id().equals(mirrored)) {
                    continue; // only the mirrored group's database reverses
                }
                if (link.method() == ReplicationLink.Method.CLOUDWATCH_RDS_REPLICA_LAG
                        || link.method() == ReplicationLink.Method.CLOUDWATCH_AURORA_GLOBAL_DB_LAG) {
                    links.add(link);
                    lagSeconds.put(link.name(), 0.0);
                    groups.put(link.name(), group.id());
                } else if (!link.isReversed()) {
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

    /** The lag of every link that exists now, in seconds. */
    public Map<String, Double> lags() {
        if (database == null) {
            return Map.copyOf(lagSeconds);
        }
        Map<String, Double> fed = new HashMap<>();
        boolean replicating = database.replicating();
        double measured = replicating ? database.lagSeconds() : 0;
        for (ReplicationLink link : links) {
            boolean follows = mirrored != null && mirrored.equals(groups.get(link.name()));
            boolean exists = follows ? replicating && link.to().equals(database.readerRegion()) : !link.isReversed();
            if (exists) {
                fed.put(link.name(), measured);
            }
        }
        return fed;
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
            Double seconds = current.get(link.name());
            if (seconds == null) {
                continue; // the link does not exist now
            }
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
