package io.drplane.coordinator.kafka;

import io.drplane.coordinator.state.GroupState;
import io.drplane.events.Event;
import io.drplane.events.HealthObserved;
import io.drplane.events.Reason;
import io.drplane.events.ReasonCode;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

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
    /** Per group, per vantage point: how far its last observation's time was from the coordinator's clock. */
    private final Map<String, Map<String, ObserverClock>> observerClocks = new ConcurrentHashMap<>();
    /** Inputs refused because their time cannot be trusted, by reason code. */
    private final Map<ReasonCode, LongAdder> refused = new ConcurrentHashMap<>();

    /**
     * A vantage point's clock as the coordinator sees it: its last observation's time minus the coordinator's clock
     * when the observation arrived (positive: ahead), and whether that observation was refused for it.
     */
    public record ObserverClock(long skewMillis, boolean refused, Instant at) {}

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

    /** Each vantage point's clock as the group's observations show it. */
    public Map<String, ObserverClock> observerClocks(String group) {
        Map<String, ObserverClock> clocks = observerClocks.get(group);
        return clocks == null ? Map.of() : Map.copyOf(clocks);
    }

    /** Inputs refused since the loop started because their time cannot be trusted, by reason code. */
    public Map<ReasonCode, Long> refusedInputs() {
        Map<ReasonCode, Long> counts = new EnumMap<>(ReasonCode.class);
        refused.forEach((code, count) -> counts.put(code, count.sum()));
        return counts;
    }

    /** An input was decided (or refused for its time, {@code refusal} not null) at the coordinator's {@code arrivedAt}. */
    void observed(Event<?> input, Instant arrivedAt, Reason refusal) {
        if (refusal != null) {
            refused.computeIfAbsent(refusal.code(), c -> new LongAdder()).increment();
        }
        if (input.data() instanceof HealthObserved h) {
            observerClocks
                    .computeIfAbsent(h.group(), g -> new ConcurrentHashMap<>())
                    .put(
                            h.vantage(),
                            new ObserverClock(
                                    h.observedAt().toEpochMilli() - arrivedAt.toEpochMilli(),
                                    refusal != null,
                                    arrivedAt));
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
