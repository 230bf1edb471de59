package io.drplane.localstack.sim;

import io.drplane.executor.aws.AwsClients;
import io.drplane.plan.Group;
import io.drplane.plan.Region;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;

/**
 * Makes the real PostgreSQL pair do what the emulator's RDS instances do, so the lag a re-protected link reports is
 * real: when the replica's RDS instance is promoted (a failover), its server is promoted; when the old primary's
 * region gets a read replica of the new primary under its name (re-protect), its server is re-created as a streaming
 * replica of the new primary. The emulator is the truth, as AWS would be: the executors change it, this follows.
 */
final class DatabaseMirror implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseMirror.class);

    private final ReplicatedDatabase database;
    /** Region name to the identifier the plan gives its database. */
    private final Map<String, String> identifiers = new HashMap<>();

    private final Map<String, AwsClients> clients = new HashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "sim-db-mirror");
        thread.setDaemon(true);
        return thread;
    });

    DatabaseMirror(Group group, URI endpoint, ReplicatedDatabase database) {
        this.database = database;
        for (Region region : group.regions()) {
            if (region.database() != null) {
                identifiers.put(region.name(), region.database().identifier());
                clients.put(
                        region.name(),
                        new AwsClients(
                                region.name(),
                                Optional.of(endpoint),
                                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")),
                                Duration.ofSeconds(5),
                                List.of()));
            }
        }
        timer.scheduleWithFixedDelay(this::follow, 500, 500, TimeUnit.MILLISECONDS);
    }

    /** The group whose database the pair stands for: the first with an RDS instance in two regions. */
    static Optional<Group> mirrored(List<Group> groups) {
        return groups.stream()
                .filter(g -> g.regions().stream()
                                .filter(r -> r.database() != null
                                        && r.database().kind() == io.drplane.plan.Database.Kind.RDS_INSTANCE)
                                .count()
                        == 2)
                .findFirst();
    }

    void follow() {
        try {
            if (database.replicating()) {
                String region = database.readerRegion();
                Optional<DBInstance> replica = instance(region);
                if (replica.isPresent() && standalone(replica.get())) {
                    LOG.info("{} was promoted in {}: so is its PostgreSQL server", identifiers.get(region), region);
                    database.promote();
                }
            } else {
                String region = database.readerRegion();
                Optional<DBInstance> rebuilt = instance(region);
                if (rebuilt.isPresent() && !standalone(rebuilt.get())) {
                    LOG.info(
                            "{} in {} is a read replica again: its PostgreSQL server is re-created from {}",
                            identifiers.get(region),
                            region,
                            database.writerRegion());
                    database.rebuild();
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("could not follow the emulator's RDS instances: {}", e.toString());
        }
    }

    private Optional<DBInstance> instance(String region) {
        String id = identifiers.get(region);
        AwsClients aws = clients.get(region);
        if (id == null || aws == null) {
            return Optional.empty();
        }
        try {
            return aws.rds().describeDBInstances(r -> r.dbInstanceIdentifier(id)).dbInstances().stream()
                    .findFirst();
        } catch (DbInstanceNotFoundException e) {
            return Optional.empty(); // renamed by the fence, not re-created yet
        }
    }

    private static boolean standalone(DBInstance instance) {
        String source = instance.readReplicaSourceDBInstanceIdentifier();
        return "available".equals(instance.dbInstanceStatus()) && (source == null || source.isBlank());
    }

    @Override
    public void close() {
        timer.shutdownNow();
        clients.values().forEach(AwsClients::close);
    }
}
