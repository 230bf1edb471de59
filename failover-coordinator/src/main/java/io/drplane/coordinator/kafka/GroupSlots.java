package io.drplane.coordinator.kafka;

import io.drplane.coordinator.state.GroupState;
import io.drplane.events.CoordinatorTicked;
import io.drplane.events.Event;
import io.drplane.plan.Group;
import io.drplane.plan.Plan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Every group of the plan as this instance holds it (see {@link GroupSlot}), found by id and by input partition. The loop's thread only. */
final class GroupSlots {

    private final Map<String, GroupSlot> byId = new HashMap<>();
    /** A tick on partition i is for these groups (plan lookups are linear; this is not). */
    private final Map<Integer, List<GroupSlot>> byPartition = new HashMap<>();
    /** The same by group id, for the restore, which keeps states of its own. */
    private final Map<Integer, List<String>> idsByPartition = new HashMap<>();

    GroupSlots(Plan plan) {
        for (Group group : plan.groups()) {
            GroupSlot slot = new GroupSlot(group.id(), CoordinatorClients.partitionOf(group.id()));
            byId.put(group.id(), slot);
            byPartition.computeIfAbsent(slot.partition, p -> new ArrayList<>()).add(slot);
            idsByPartition
                    .computeIfAbsent(slot.partition, p -> new ArrayList<>())
                    .add(slot.group);
        }
    }

    boolean planned(String group) {
        return byId.containsKey(group);
    }

    /** The groups an event is about: its group, or for a tick every group of the tick's partition. */
    List<GroupSlot> of(Event<?> event, int partition) {
        if (event.data() instanceof CoordinatorTicked) {
            return byPartition.getOrDefault(partition, List.of());
        }
        GroupSlot slot = byId.get(event.subject());
        return slot == null ? List.of() : List.of(slot);
    }

    /**
     * {@link #of}, by group id, for the restore: it decides the journal as the loop decided it. The lists are the
     * loop's own, not copies: the restore goes through hundreds of thousands of journaled inputs, a tick's every group.
     */
    List<String> idsOf(Event<?> event, int partition) {
        if (event.data() instanceof CoordinatorTicked) {
            return idsByPartition.getOrDefault(partition, List.of());
        }
        return byId.containsKey(event.subject()) ? List.of(event.subject()) : List.of();
    }

    /** Takes in what the restore rebuilt: the states as committed and the snapshots as read, with their ages. */
    void restored(
            Map<String, GroupState> states,
            Map<String, GroupState> snapshots,
            Map<String, Long> snapshotAgesMillis,
            long nowNanos) {
        states.forEach((group, state) -> byId.get(group).state = state);
        snapshots.forEach((group, state) -> {
            GroupSlot slot = byId.get(group);
            slot.snapshotted = state;
            slot.snapshottedAt = nowNanos - snapshotAgesMillis.get(group) * 1_000_000L;
        });
    }

    /** Forgets the groups of every partition not owned any more. */
    void keepOnly(Set<Integer> owned) {
        for (GroupSlot slot : byId.values()) {
            if (!owned.contains(slot.partition)) {
                slot.forget();
            }
        }
    }
}
