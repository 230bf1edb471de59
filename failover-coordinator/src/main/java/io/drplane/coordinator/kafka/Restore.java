package io.drplane.coordinator.kafka;

import io.drplane.coordinator.decider.Decider;
import io.drplane.coordinator.state.GroupState;
import io.drplane.coordinator.state.StateCodec;
import io.drplane.events.CommandRejected;
import io.drplane.events.CommandResult;
import io.drplane.events.Event;
import io.drplane.events.TopicFamily;
import io.drplane.events.codec.EventCodec;
import io.drplane.events.codec.EventDecodingException;
import io.drplane.kafka.ReadToEnd;
import io.drplane.kafka.journal.JournalBatch;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the groups of newly assigned partitions as their last owner committed them: each group's latest snapshot,
 * then every journaled input since it that the snapshot does not hold, decided again in journal order (what the
 * decisions emit was published by the last owner and is dropped). Snapshots are written when decisions could differ
 * and refreshed every {@link CoordinatorLoop#SNAPSHOT_INTERVAL_NANOS}, so the journal read is about that long.
 */
final class Restore {

    private static final Logger LOG = LoggerFactory.getLogger(Restore.class);

    /**
     * @param states       each group's state as committed
     * @param snapshots    each group's snapshot as read, for the loop to compare new states with
     * @param snapshotAges each snapshot's age in milliseconds when read (by its record's time)
     * @param journalEnds  per partition, the journal's end when read: every input since is the new owner's
     * @param replayed     inputs decided again, over all groups
     */
    record Restored(
            Map<String, GroupState> states,
            Map<String, GroupState> snapshots,
            Map<String, Long> snapshotAges,
            Map<Integer, Long> journalEnds,
            long replayed) {}

    private final Properties consumerConfig;
    private final AtomicLong undecodableSnapshots = new AtomicLong();
    private final AtomicLong undecodableJournalEntries = new AtomicLong();
    private final Decider decider;
    private final Predicate<String> planned;
    private final BiFunction<Event<?>, Integer, List<String>> groupsOf;

    /**
     * @param consumerConfig a {@code read_committed} consumer's configuration, without a group
     * @param planned        whether the plan has a group (snapshots of others are left alone)
     * @param groupsOf       the groups an input on a partition is for, as the loop decides them
     */
    Restore(
            Properties consumerConfig,
            Decider decider,
            Predicate<String> planned,
            BiFunction<Event<?>, Integer, List<String>> groupsOf) {
        this.consumerConfig = consumerConfig;
        this.decider = decider;
        this.planned = planned;
        this.groupsOf = groupsOf;
    }

    Restored restore(Set<Integer> partitions, long nowMillis) {
        Map<String, GroupState> states = new HashMap<>();
        Map<String, GroupState> snapshots = new HashMap<>();
        Map<String, Long> ages = new HashMap<>();
        Map<String, SnapshotPosition> positions = new HashMap<>();
        Map<Integer, Long> journalEnds = new HashMap<>();
        long[] replayed = {0};
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig)) {
            List<TopicPartition> snapshotPartitions = partitions.stream()
                    .map(p -> new TopicPartition(TopicFamily.COORDINATOR_SNAPSHOTS.topic(), p))
                    .toList();
            ReadToEnd.read(consumer, snapshotPartitions, record -> {
                if (record.value() == null) { // a deleted snapshot: the group starts afresh
                    states.remove(record.key());
                    snapshots.remove(record.key());
                    ages.remove(record.key());
                    positions.remove(record.key());
                    return;
                }
                if (!planned.test(record.key())) {
                    return; // a group this plan no longer has
                }
                GroupState state;
                try {
                    state = StateCodec.decode(record.value());
                } catch (RuntimeException e) {
                    // Never a crash loop over one bad record: the group starts afresh, at the highest epoch known.
                    LOG.error(
                            "snapshot {}-{}@{} of {} does not decode ({}): the group starts afresh, at the highest epoch"
                                    + " the executors have seen",
                            record.topic(),
                            record.partition(),
                            record.offset(),
                            record.key(),
                            e.getMessage());
                    undecodableSnapshots.incrementAndGet();
                    states.remove(record.key());
                    snapshots.remove(record.key());
                    ages.remove(record.key());
                    positions.remove(record.key());
                    return;
                }
                states.put(record.key(), state);
                snapshots.put(record.key(), state);
                ages.put(record.key(), Math.max(0, nowMillis - record.timestamp()));
                positions.remove(record.key()); // an older snapshot's position is not this one's
                try {
                    SnapshotPosition.of(record.headers()).ifPresent(position -> positions.put(record.key(), position));
                } catch (IllegalArgumentException e) {
                    LOG.error(
                            "snapshot {}-{}@{} of {}: restored without the journal since it: {}",
                            record.topic(),
                            record.partition(),
                            record.offset(),
                            record.key(),
                            e.getMessage());
                }
            });

            List<TopicPartition> journalPartitions = partitions.stream()
                    .map(p -> new TopicPartition(TopicFamily.COORDINATOR_JOURNAL.topic(), p))
                    .toList();
            consumer.endOffsets(journalPartitions)
                    .forEach((partition, end) -> journalEnds.put(partition.partition(), end));
            Map<TopicPartition, Long> from = new HashMap<>();
            positions.forEach((group, position) -> from.merge(
                    new TopicPartition(TopicFamily.COORDINATOR_JOURNAL.topic(), CoordinatorClients.partitionOf(group)),
                    position.journalFrom(),
                    Math::min));
            long journalRecords = from.isEmpty()
                    ? 0
                    : ReadToEnd.readFrom(
                            consumer, from, record -> replayed[0] += decideAgain(record, states, positions));
            Map<String, Long> epochs = highestEpochs(consumer, partitions);
            epochs.forEach((group, highest) -> {
                GroupState state = states.get(group);
                GroupState raised = state != null
                        ? state.withEpochAtLeast(highest)
                        : decider.initial(group, Instant.ofEpochMilli(nowMillis))
                                .withEpochAtLeast(highest);
                if (raised != state) {
                    LOG.warn(
                            "{} restored at epoch {}, the highest its executors have seen (its snapshot had {})",
                            group,
                            highest,
                            state == null ? "none" : state.epoch());
                    states.put(group, raised);
                }
            });
            LOG.info(
                    "restored {} group(s) of partitions {} from their snapshots ({} without a journal position), and decided {} journaled"
                            + " input(s) since them again from {} journal record(s)",
                    states.size(),
                    partitions,
                    states.size() - positions.size(),
                    replayed[0],
                    journalRecords);
        }
        return new Restored(states, snapshots, ages, journalEnds, replayed[0]);
    }

    /**
     * Per group of the plan, the highest epoch in the command results of the given partitions: of the commands the
     * executors answered, and the highest they report having seen when they reject one as stale.
     */
    private Map<String, Long> highestEpochs(KafkaConsumer<String, byte[]> consumer, Set<Integer> partitions) {
        Map<String, Long> highest = new HashMap<>();
        List<TopicPartition> results = partitions.stream()
                .map(p -> new TopicPartition(TopicFamily.COMMAND_RESULTS.topic(), p))
                .toList();
        ReadToEnd.read(consumer, results, record -> {
            if (record.key() == null || !planned.test(record.key()) || record.value() == null) {
                return;
            }
            try {
                if (EventCodec.instance().decode(record.value()).data() instanceof CommandResult result) {
                    long epoch = result instanceof CommandRejected r
                            ? Math.max(r.epoch(), r.highestEpochSeen())
                            : result.epoch();
                    highest.merge(record.key(), epoch, Math::max);
                }
            } catch (EventDecodingException e) {
                LOG.warn(
                        "command result {}-{}@{} does not decode; its epoch is not counted: {}",
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        e.getMessage());
            }
        });
        return highest;
    }

    /** Snapshots that did not decode since the loop started (each group restarted afresh). */
    long undecodableSnapshots() {
        return undecodableSnapshots.get();
    }

    /** Journaled inputs that no longer decoded since the loop started (their groups were restored a step behind). */
    long undecodableJournalEntries() {
        return undecodableJournalEntries.get();
    }

    /** Decides a journal record's inputs again for each group whose snapshot lacks them; how many decisions that made. */
    private long decideAgain(
            ConsumerRecord<String, byte[]> record,
            Map<String, GroupState> states,
            Map<String, SnapshotPosition> positions) {
        long decided = 0;
        for (JournalBatch.Entry entry : JournalBatch.decode(record.value())) {
            if (!entry.topic().equals(TopicFamily.TICKS.topic())) {
                // Keyed by its group (the loop refuses other inputs): decoded only if that group's snapshot lacks it.
                SnapshotPosition position = entry.key() == null ? null : positions.get(entry.key());
                if (position == null || !position.lacks(entry.topic(), entry.offset())) {
                    continue;
                }
            }
            Event<?> input;
            try {
                input = EventCodec.instance().decode(entry.value());
            } catch (EventDecodingException e) {
                // It was read once, so this is a codec that changed since: the groups it was for stay a step behind.
                LOG.error(
                        "journal {}-{}@{}: an input from {}@{} no longer decodes and is not decided again: {}",
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        entry.topic(),
                        entry.offset(),
                        e.getMessage());
                undecodableJournalEntries.incrementAndGet();
                continue;
            }
            for (String group : groupsOf.apply(input, record.partition())) {
                SnapshotPosition position = positions.get(group);
                if (position != null && position.lacks(entry.topic(), entry.offset())) {
                    states.put(
                            group,
                            decider.decide(states.get(group), input, entry.arrivedAt(input.time()))
                                    .state());
                    decided++;
                }
            }
        }
        return decided;
    }
}
