package io.drplane.coordinator.kafka;

import io.drplane.coordinator.state.GroupState;
import io.drplane.events.Event;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the HTTP API shows of the groups this instance owns, as of the last commit: what an aborted transaction decided
 * is never shown, and the states agree with the timelines. Written by the loop's thread, read by the API's.
 */
public final class ReadModel {

    /** The latest decisions kept per group. */
    static final int TIMELINE = 200;

    private final Map<String, GroupState> committed = new ConcurrentHashMap<>();
    private final Map<String, Deque<Event<?>>> timelines = new ConcurrentHashMap<>();
    private final Set<Integer> owned = new HashSet<>();

    /** The partitions this instance owns now. */
    public synchronized Set<Integer> owned() {
        return Set.copyOf(owned);
    }

    /** The group's state as of the last commit. */
    public Optional<GroupState> state(String group) {
        return Optional.ofNullable(committed.get(group));
    }

    /** The group's latest decisions (not breaker moves), oldest first. */
    public List<Event<?>> timeline(String group) {
        Deque<Event<?>> timeline = timelines.get(group);
        if (timeline == null) {
            return List.of();
        }
        synchronized (timeline) {
            return List.copyOf(timeline);
        }
    }

    synchronized void own(Collection<Integer> partitions) {
        owned.addAll(partitions);
    }

    synchronized boolean owns(int partition) {
        return owned.contains(partition);
    }

    synchronized void restored(Map<String, GroupState> states) {
        committed.putAll(states);
    }

    /** Drops the partitions, and the states of every group not on a partition still owned. */
    synchronized void disown(Collection<Integer> partitions) {
        owned.removeAll(partitions);
        committed.keySet().removeIf(group -> !owned.contains(CoordinatorClients.partitionOf(group)));
    }

    /** A transaction committed these states and decisions. */
    void committed(Collection<GroupSlot> touched, List<Event<?>> decided) {
        for (Event<?> event : decided) {
            Deque<Event<?>> timeline = timelines.computeIfAbsent(event.subject(), g -> new ArrayDeque<>());
            synchronized (timeline) {
                timeline.addLast(event);
                if (timeline.size() > TIMELINE) {
                    timeline.removeFirst();
                }
            }
        }
        for (GroupSlot slot : touched) {
            committed.put(slot.group, slot.state);
        }
    }
}
