package io.drplane.events;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Every topic drplane uses, defined once: name, partitions, retention and cleanup. Group-keyed input
 * topics of the coordinator share one partition count so that partition i of each lands on the same
 * coordinator instance (co-partitioning). Commands have one topic per region.
 */
public enum TopicFamily {
    HEALTH("dr.health.v1", 12, Duration.ofDays(7), false),
    REPLICATION("dr.replication.v1", 12, Duration.ofDays(7), false),
    BACKUP("dr.backup.v1", 12, Duration.ofDays(35), false),
    OPERATOR("dr.operator.v1", 12, Duration.ofDays(365), false),
    TICKS("dr.coordinator.ticks.v1", 12, Duration.ofDays(7), false),
    DECISIONS("dr.decisions.v1", 12, Duration.ofDays(365), false),
    COMMANDS("dr.commands.%s.v1", 12, Duration.ofDays(90), false),
    COMMAND_RESULTS("dr.command-results.v1", 12, Duration.ofDays(90), false),
    NOTIFICATIONS("dr.notifications.v1", 12, Duration.ofDays(30), false),
    DEADLETTER("dr.deadletter.v1", 3, Duration.ofDays(30), false),
    /** Refused API requests and accepted changes, for security review: kept a year. */
    AUDIT("dr.audit.v1", 3, Duration.ofDays(365), false),
    /** The coordinator's state per group (JSON, not an event), written in the same transaction as its decisions. */
    COORDINATOR_SNAPSHOTS("dr.coordinator.snapshots.v1", 12, Duration.ofMillis(-1), true),
    /** Each group's live topology (its latest {@code topology.changed}), compacted: read from the start, it is the current one. */
    TOPOLOGY("dr.topology.v1", 12, Duration.ofMillis(-1), true),
    /** Every input the coordinator processed, in the order it processed them, for replay; written in the same transaction. */
    COORDINATOR_JOURNAL("dr.coordinator.journal.v1", 12, Duration.ofDays(365), false);

    /** Group-keyed topics are co-partitioned: one count for all of them. */
    public static final int GROUP_PARTITIONS = 12;

    /**
     * Dead letters keep the original value whole, and an input record may be up to the broker's default
     * limit (about 1 MB) plus our headers, so the dead-letter topic allows more.
     */
    public static final int DEADLETTER_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

    /** An AWS region name, as used in command topic names. */
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d");

    private final String namePattern;
    private final int partitions;
    private final Duration retention;
    private final boolean compacted;

    TopicFamily(String namePattern, int partitions, Duration retention, boolean compacted) {
        this.namePattern = namePattern;
        this.partitions = partitions;
        this.retention = retention;
        this.compacted = compacted;
    }

    public boolean perRegion() {
        return namePattern.contains("%s");
    }

    /** The topic name of a family that is not per region. */
    public String topic() {
        if (perRegion()) {
            throw new IllegalStateException(this + " has one topic per region; call topic(region)");
        }
        return namePattern;
    }

    /** The command topic of one region, for example {@code dr.commands.us-east-1.v1}. */
    public String topic(String region) {
        if (!perRegion()) {
            return namePattern;
        }
        Objects.requireNonNull(region, "region");
        if (!REGION.matcher(region).matches()) {
            throw new IllegalArgumentException("'" + region + "' is not an AWS region name (like us-east-1)");
        }
        return namePattern.formatted(region);
    }

    /** The topic an event is published on: its type's family, and for commands the topic of their region. */
    public static String topicFor(EventData data) {
        // the RPO of a backup rule is the backup scheduler's word, on its own topic (the one its ACL lets it write)
        if ((data instanceof RpoBreached b && b.scope() == RpoScope.BACKUP_RULE)
                || (data instanceof RpoRestored r && r.scope() == RpoScope.BACKUP_RULE)) {
            return BACKUP.topic();
        }
        TopicFamily family = data.eventType().topicFamily();
        return data instanceof Command command ? family.topic(command.region()) : family.topic();
    }

    public int partitions() {
        return partitions;
    }

    public Duration retention() {
        return retention;
    }

    public boolean compacted() {
        return compacted;
    }

    /** The topic-level configs drplane sets on this family's topics. */
    public Map<String, String> configs() {
        Map<String, String> base = Map.of(
                "cleanup.policy",
                compacted ? "compact" : "delete",
                "retention.ms",
                Long.toString(retention.isNegative() ? -1 : retention.toMillis()),
                "message.timestamp.type",
                "CreateTime");
        if (this == DEADLETTER) {
            var withSize = new HashMap<>(base);
            withSize.put("max.message.bytes", Integer.toString(DEADLETTER_MAX_MESSAGE_BYTES));
            return Map.copyOf(withSize);
        }
        return base;
    }
}
