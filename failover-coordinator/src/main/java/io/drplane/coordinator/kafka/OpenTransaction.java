package io.drplane.coordinator.kafka;

import io.drplane.events.Event;
import io.drplane.kafka.journal.JournalBatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/** What the open transaction has read and changed, to commit together or put back if it aborts. The loop's thread only. */
final class OpenTransaction {
    /** The groups it changed, each holding its state before the transaction (cheaper than copying every group's state). */
    final List<GroupSlot> touched = new ArrayList<>();
    /** The groups to snapshot at the commit, in their state then. */
    final List<GroupSlot> marked = new ArrayList<>();
    /** Snapshots marked only because the last one is old. */
    int refreshes;
    /** Per input partition, the inputs decided, to journal on the same partition. */
    final Map<Integer, List<JournalBatch.Entry>> journal = new TreeMap<>();
    /** Per partition, the send of its last journal record, which says where the journal ends once committed. */
    final Map<Integer, Future<RecordMetadata>> journaled = new HashMap<>();

    final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    final Map<TopicPartition, Long> firstOffsets = new HashMap<>();
    /** The decisions (not breaker moves) sent, for the read model once committed. */
    final List<Event<?>> decided = new ArrayList<>();

    /** Records that the transaction is about to change the group's state, keeping the state before it. */
    void touch(GroupSlot slot) {
        if (!slot.touched) {
            slot.touched = true;
            slot.before = slot.state;
            touched.add(slot);
        }
    }

    /** Puts back the states the transaction changed, which it will not commit. */
    void putBack() {
        for (GroupSlot slot : touched) {
            slot.state = slot.before;
            slot.before = null;
            slot.touched = false;
        }
        marked.forEach(slot -> slot.marked = false);
    }

    /** The transaction committed: its states are the committed ones now. */
    void committed(long nowNanos) {
        for (GroupSlot slot : marked) {
            slot.marked = false;
            slot.snapshotted = slot.state;
            slot.snapshottedAt = nowNanos;
        }
        for (GroupSlot slot : touched) {
            slot.touched = false;
            slot.before = null;
        }
    }
}
