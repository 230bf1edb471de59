package io.drplane.coordinator.kafka;

import java.time.Duration;

/**
 * When a group's state is snapshotted: in the transaction that changed what it would decide, and, a few per
 * transaction, when its last snapshot is older than the interval (a takeover decides again every input since the
 * snapshot, so an old one makes a slow takeover).
 */
final class SnapshotPolicy {

    static final long SNAPSHOT_INTERVAL_NANOS = Duration.ofSeconds(30).toNanos();
    /** Time-only snapshot refreshes written per transaction at most. */
    static final int MAX_REFRESHES_PER_TRANSACTION = 100;

    private SnapshotPolicy() {}

    /**
     * Marks the group's new state for a snapshot in this transaction when decisions could differ from its last
     * snapshot's, or, a few per transaction, when that snapshot is older than the interval. Checked as each input is
     * decided rather than at the commit, so the commit of a transaction holding a command does not first compare
     * every state the transaction touched (2-6 ms for the thousand or so of a 100 ms transaction at 10,000 events/s).
     */
    static void mark(OpenTransaction tx, GroupSlot slot, boolean clockOnly, long nowNanos) {
        if (slot.marked) {
            return; // marked already: the snapshot is of its state at the commit
        }
        if (slot.snapshotted == null || (!clockOnly && !slot.state.sameDecisionsAs(slot.snapshotted))) {
            slot.marked = true;
            tx.marked.add(slot);
        } else if (tx.refreshes < MAX_REFRESHES_PER_TRANSACTION
                && nowNanos - slot.snapshottedAt > SNAPSHOT_INTERVAL_NANOS) {
            // Refreshed also when only the clock moved. Not urgent: a few per transaction, so groups that came due
            // together (all of them, a snapshot interval after start) do not make one transaction write every state.
            slot.marked = true;
            tx.marked.add(slot);
            tx.refreshes++;
        }
    }
}
