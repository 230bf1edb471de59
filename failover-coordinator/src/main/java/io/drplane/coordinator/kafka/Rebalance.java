package io.drplane.coordinator.kafka;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the loop does when partitions come and go: before they go, commit what was decided on them (the next owner
 * starts from what is committed); when they are lost, commit nothing (another member may own them already); when they
 * come, restore their groups as the last owner committed them (see {@link Restore}). Runs on the loop's thread, inside
 * its poll.
 */
final class Rebalance implements ConsumerRebalanceListener {

    private static final Logger LOG = LoggerFactory.getLogger(Rebalance.class);

    private final Runnable finishBeforeRevoke;
    private final Runnable abandon;
    private final Consumer<String, byte[]> consumer;
    private final GroupSlots slots;
    private final ReadModel view;
    private final TransactionWriter writer;
    private final Restore restore;
    private final String instance;
    private final AtomicLong restoredGroups = new AtomicLong();
    private final AtomicLong replayedInputs = new AtomicLong();

    Rebalance(
            Runnable finishBeforeRevoke,
            Runnable abandon,
            Consumer<String, byte[]> consumer,
            GroupSlots slots,
            ReadModel view,
            TransactionWriter writer,
            Restore restore,
            String instance) {
        this.finishBeforeRevoke = finishBeforeRevoke;
        this.abandon = abandon;
        this.consumer = consumer;
        this.slots = slots;
        this.view = view;
        this.writer = writer;
        this.restore = restore;
        this.instance = instance;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        finishBeforeRevoke.run();
        forget(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        abandon.run();
        forget(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        Set<Integer> added = new HashSet<>();
        partitions.forEach(p -> added.add(p.partition()));
        restore(added);
        // Where each partition's committed input ends: the snapshots this instance writes hold its inputs up to there.
        consumer.committed(Set.copyOf(partitions))
                .forEach(
                        (partition, offset) -> writer.committedInput(partition, offset == null ? 0L : offset.offset()));
        view.own(added);
    }

    /** Drops what this instance kept of partitions it no longer owns. */
    private void forget(Collection<TopicPartition> partitions) {
        view.disown(partitions.stream().map(TopicPartition::partition).toList());
        Set<Integer> owned = view.owned();
        slots.keepOnly(owned);
        writer.forget(partitions, owned);
    }

    /** Restores every group of the given partitions as its last owner committed it. */
    private void restore(Set<Integer> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Restore.Restored restored = restore.restore(partitions, System.currentTimeMillis());
        slots.restored(restored.states(), restored.snapshots(), restored.snapshotAges(), System.nanoTime());
        view.restored(restored.states());
        writer.journalEnds(restored.journalEnds());
        restoredGroups.addAndGet(restored.states().size());
        replayedInputs.addAndGet(restored.replayed());
        LOG.info("instance {} owns partitions {}", instance, partitions);
    }

    long restoredGroups() {
        return restoredGroups.get();
    }

    long replayedInputs() {
        return replayedInputs.get();
    }
}
