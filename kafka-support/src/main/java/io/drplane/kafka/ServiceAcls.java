package io.drplane.kafka;

import io.drplane.events.TopicFamily;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The least each drplane service needs on a cluster with an authorizer, as Kafka ACLs for its principal: what it
 * reads, what it writes, its consumer group and, for the coordinator, its transactional ids. Nothing else may write
 * an input of the coordinator's, and only a region's executor reads that region's commands.
 */
public final class ServiceAcls {

    /** A drplane service, by the name its principal is given for ({@code drplane topics apply --principal}). */
    public enum Service {
        HEALTH_MONITOR,
        REPLICATION_TRACKER,
        BACKUP_SCHEDULER,
        FAILOVER_COORDINATOR,
        /** One per region: {@code region-executor/us-east-1}. */
        REGION_EXECUTOR,
        NOTIFIER,
        /** An operator's tools (`drplane replay`, `drplane notifications`): read the journal, decisions, commands and notifications; write nothing. */
        OPERATOR;

        public String cliName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The service of a name like {@code failover-coordinator} or {@code region-executor}. */
        public static Service of(String name) {
            return Arrays.stream(values())
                    .filter(s -> s.cliName().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("'" + name + "' is no drplane service; known: "
                            + Arrays.stream(values()).map(Service::cliName).toList()));
        }
    }

    /** The coordinator's consumer group and the prefix of its transactional ids (one per instance). */
    public static final String COORDINATOR_GROUP = "drplane-failover-coordinator";

    private ServiceAcls() {}

    /**
     * The ACLs of one service's principal ({@code User:name}); {@code region} is the executor's region (null for the
     * others), {@code regions} every region of the plan.
     */
    public static List<AclBinding> of(Service service, String principal, String region, List<String> regions) {
        Grants grants = new Grants(principal);
        grants.cluster(AclOperation.DESCRIBE); // micronaut-kafka's health check describes the cluster
        grants.cluster(AclOperation.DESCRIBE_CONFIGS);
        switch (service) {
            case HEALTH_MONITOR -> grants.write(TopicFamily.HEALTH.topic());
            case REPLICATION_TRACKER -> {
                grants.write(TopicFamily.REPLICATION.topic());
                // the live topology says which links to measure; read by partition from the start, no group
                grants.read(TopicFamily.TOPOLOGY.topic());
            }
            case BACKUP_SCHEDULER -> {
                // its own topic is its memory (rebuilt on an assignment) and its consumer group says who owns a group
                grants.read(TopicFamily.BACKUP.topic());
                grants.write(TopicFamily.BACKUP.topic());
                grants.group("drplane-backup-scheduler");
            }
            case FAILOVER_COORDINATOR -> {
                for (TopicFamily input : List.of(
                        TopicFamily.HEALTH,
                        TopicFamily.REPLICATION,
                        TopicFamily.BACKUP,
                        TopicFamily.OPERATOR,
                        TopicFamily.COMMAND_RESULTS,
                        TopicFamily.TICKS,
                        TopicFamily.COORDINATOR_SNAPSHOTS,
                        TopicFamily.COORDINATOR_JOURNAL)) {
                    grants.read(input.topic());
                }
                for (TopicFamily output : List.of(
                        TopicFamily.DECISIONS,
                        TopicFamily.TOPOLOGY,
                        TopicFamily.OPERATOR, // its API writes operator events, signed
                        TopicFamily.TICKS,
                        TopicFamily.COORDINATOR_SNAPSHOTS,
                        TopicFamily.COORDINATOR_JOURNAL,
                        TopicFamily.DEADLETTER,
                        TopicFamily.AUDIT)) { // its API's audit trail
                    grants.write(output.topic());
                }
                regions.forEach(r -> grants.write(TopicFamily.COMMANDS.topic(r)));
                grants.group(COORDINATOR_GROUP);
                grants.add(
                        new ResourcePattern(
                                ResourceType.TRANSACTIONAL_ID, COORDINATOR_GROUP + "-", PatternType.PREFIXED),
                        AclOperation.WRITE,
                        AclOperation.DESCRIBE);
            }
            case REGION_EXECUTOR -> {
                if (region == null || !regions.contains(region)) {
                    throw new IllegalArgumentException(
                            "a region executor's ACLs are for one region of the plan " + regions + ", not " + region);
                }
                grants.read(TopicFamily.COMMANDS.topic(region));
                grants.read(TopicFamily.COMMAND_RESULTS.topic()); // its ledger, rebuilt at start
                grants.write(TopicFamily.COMMAND_RESULTS.topic());
                grants.write(TopicFamily.DEADLETTER.topic());
                grants.group("drplane-region-executor-" + region);
            }
            case NOTIFIER -> {
                grants.read(TopicFamily.DECISIONS.topic());
                grants.read(TopicFamily.BACKUP.topic());
                grants.read(TopicFamily.REPLICATION.topic());
                grants.read(TopicFamily.NOTIFICATIONS.topic());
                grants.write(TopicFamily.NOTIFICATIONS.topic());
                grants.write(TopicFamily.DEADLETTER.topic());
                grants.group("drplane-notifier");
            }
            case OPERATOR -> {
                // replay: the journal, and the decisions and commands it compares with; reads by partition, no group
                grants.read(TopicFamily.COORDINATOR_JOURNAL.topic());
                grants.read(TopicFamily.DECISIONS.topic());
                regions.forEach(r -> grants.read(TopicFamily.COMMANDS.topic(r)));
                grants.read(TopicFamily.NOTIFICATIONS.topic()); // drplane notifications
                grants.read(TopicFamily.TOPOLOGY.topic());
            }
        }
        return grants.bindings;
    }

    /** Allow-entries for one principal, from any host. */
    private static final class Grants {
        private final String principal;
        private final List<AclBinding> bindings = new ArrayList<>();

        Grants(String principal) {
            if (!principal.contains(":")) {
                throw new IllegalArgumentException(
                        "a Kafka principal is type:name, for example User:drplane-coordinator; not " + principal);
            }
            this.principal = principal;
        }

        void read(String topic) {
            add(literal(ResourceType.TOPIC, topic), AclOperation.READ, AclOperation.DESCRIBE);
        }

        void write(String topic) {
            add(literal(ResourceType.TOPIC, topic), AclOperation.WRITE, AclOperation.DESCRIBE);
        }

        void group(String group) {
            add(literal(ResourceType.GROUP, group), AclOperation.READ, AclOperation.DESCRIBE);
        }

        void cluster(AclOperation operation) {
            add(literal(ResourceType.CLUSTER, "kafka-cluster"), operation);
        }

        void add(ResourcePattern resource, AclOperation... operations) {
            for (AclOperation operation : operations) {
                AclBinding binding = new AclBinding(
                        resource, new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
                if (!bindings.contains(binding)) {
                    bindings.add(binding);
                }
            }
        }

        private static ResourcePattern literal(ResourceType type, String name) {
            return new ResourcePattern(type, name, PatternType.LITERAL);
        }
    }
}
