package io.drplane.coordinator.kafka;

import io.drplane.coordinator.state.GroupState;

/**
 * One group of the plan, as this instance holds it: its state as decided (the open transaction included) and as last
 * snapshotted, and its part in the open transaction. One lookup per input, where six maps by group id cost a fifth of
 * the loop's time in hashing. The loop's thread only.
 */
final class GroupSlot {
    final String group;
    final int partition;
    /** As decided, the open transaction included; null while not owned or never decided. */
    GroupState state;
    /** The state last snapshotted and when ({@link System#nanoTime()}): a snapshot is written when decisions could differ, or every interval. */
    GroupState snapshotted;

    long snapshottedAt;
    /** Changed by the open transaction, which puts {@link #before} back if it aborts. */
    boolean touched;

    GroupState before;
    /** To be snapshotted at the open transaction's commit. */
    boolean marked;

    GroupSlot(String group, int partition) {
        this.group = group;
        this.partition = partition;
    }

    /** Its partition went to another instance. */
    void forget() {
        state = null;
        snapshotted = null;
        snapshottedAt = 0;
        touched = false;
        before = null;
        marked = false;
    }
}
