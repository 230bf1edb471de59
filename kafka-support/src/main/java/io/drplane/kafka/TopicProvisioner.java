package io.drplane.kafka;

import io.drplane.events.TopicSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Makes a cluster's topics match the specs, idempotently: creates what is missing, raises partition counts that
 * are too low, sets configs that differ. It never deletes a topic or lowers a partition count (that would move
 * keys between partitions); a topic with more partitions than its spec is reported as a warning.
 */
public final class TopicProvisioner {

    /** What one run changed; a second run over the same specs reports everything unchanged. */
    public record Result(
            List<String> created,
            List<String> partitionsRaised,
            List<String> configsChanged,
            List<String> unchanged,
            List<String> warnings) {
        public boolean changedAnything() {
            return !created.isEmpty() || !partitionsRaised.isEmpty() || !configsChanged.isEmpty();
        }
    }

    private final Admin admin;

    public TopicProvisioner(Admin admin) {
        this.admin = admin;
    }

    /** The replication factor to use by default: 3, or the broker count when the cluster is smaller. */
    public short defaultReplicationFactor() throws ExecutionException, InterruptedException {
        int brokers = admin.describeCluster().nodes().get().size();
        return (short) Math.max(1, Math.min(3, brokers));
    }

    public Result apply(Collection<TopicSpec> specs, short replicationFactor)
            throws ExecutionException, InterruptedException {
        List<String> created = new ArrayList<>();
        List<String> raised = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        List<String> warnings = new ArrayList<>();

        Set<String> existing = admin.listTopics().names().get();
        List<NewTopic> toCreate = new ArrayList<>();
        List<TopicSpec> present = new ArrayList<>();
        for (TopicSpec spec : specs) {
            if (existing.contains(spec.name())) {
                present.add(spec);
            } else {
                toCreate.add(new NewTopic(spec.name(), spec.partitions(), replicationFactor).configs(spec.configs()));
                created.add(spec.name());
            }
        }
        if (!toCreate.isEmpty()) {
            // A topic the listing missed (another provisioner, or a listing a moment behind its creation) already
            // exists: it is checked like the others, not an error.
            Map<String, KafkaFuture<Void>> results =
                    admin.createTopics(toCreate).values();
            for (TopicSpec spec : specs) {
                KafkaFuture<Void> result = results.get(spec.name());
                if (result == null) {
                    continue;
                }
                try {
                    result.get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                    created.remove(spec.name());
                    present.add(spec);
                }
            }
        }
        if (present.isEmpty()) {
            return new Result(created, raised, changed, unchanged, warnings);
        }

        Map<String, TopicDescription> descriptions = admin.describeTopics(
                        present.stream().map(TopicSpec::name).toList())
                .allTopicNames()
                .get();
        Map<String, NewPartitions> increases = new HashMap<>();
        for (TopicSpec spec : present) {
            int actual = descriptions.get(spec.name()).partitions().size();
            if (actual < spec.partitions()) {
                increases.put(spec.name(), NewPartitions.increaseTo(spec.partitions()));
                raised.add(spec.name() + " " + actual + " -> " + spec.partitions() + " partitions");
            } else if (actual > spec.partitions()) {
                warnings.add(spec.name() + " has " + actual + " partitions, the spec says " + spec.partitions()
                        + "; left as is (lowering would move groups between partitions)");
            }
        }
        if (!increases.isEmpty()) {
            admin.createPartitions(increases).all().get();
        }

        List<ConfigResource> resources = present.stream()
                .map(spec -> new ConfigResource(ConfigResource.Type.TOPIC, spec.name()))
                .toList();
        Map<ConfigResource, Config> configs =
                admin.describeConfigs(resources).all().get();
        Map<ConfigResource, Collection<AlterConfigOp>> alterations = new HashMap<>();
        for (TopicSpec spec : present) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
            Config current = configs.get(resource);
            List<AlterConfigOp> ops = new ArrayList<>();
            spec.configs().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(wanted -> {
                        ConfigEntry entry = current.get(wanted.getKey());
                        String actual = entry == null ? null : entry.value();
                        if (!wanted.getValue().equals(actual)) {
                            ops.add(new AlterConfigOp(
                                    new ConfigEntry(wanted.getKey(), wanted.getValue()), AlterConfigOp.OpType.SET));
                            changed.add(spec.name() + " " + wanted.getKey() + "=" + wanted.getValue() + " (was "
                                    + actual + ")");
                        }
                    });
            if (!ops.isEmpty()) {
                alterations.put(resource, ops);
            } else if (!increases.containsKey(spec.name())) {
                unchanged.add(spec.name());
            }
        }
        if (!alterations.isEmpty()) {
            admin.incrementalAlterConfigs(alterations).all().get();
        }
        return new Result(created, raised, changed, unchanged, warnings);
    }
}
