package io.drplane.coordinator.replay;

import io.drplane.coordinator.decider.Decider;
import io.drplane.coordinator.decider.Decision;
import io.drplane.coordinator.state.GroupState;
import io.drplane.events.CoordinatorTicked;
import io.drplane.events.Event;
import io.drplane.events.EventData;
import io.drplane.events.Reason;
import io.drplane.events.TopologyChanged;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Re-runs the decider over the exact input a coordinator processed for one group (its journal partition, in order)
 * and compares what it decides with what was recorded. Output ids are derived from the input's id as the live
 * coordinator derives them, so each replayed event is matched with its recorded twin by id. The source attribute is
 * not compared: it names the instance that happened to decide.
 */
public final class Replayer {

    private Replayer() {}

    /** One journaled input and the coordinator's clock when it took it in: the decider's time for it. */
    public record Input(Event<?> event, Instant arrivedAt) {}

    /** The events the decider emits for {@code group} over the journal, with the ids the live coordinator gives them. */
    public static List<Event<?>> replay(Decider decider, String group, List<Input> journal) {
        List<Event<?>> out = new ArrayList<>();
        GroupState state = null;
        for (Input journaled : journal) {
            Event<?> input = journaled.event();
            boolean forGroup = input.data() instanceof CoordinatorTicked || group.equals(input.subject());
            if (!forGroup) {
                continue;
            }
            if (state == null) {
                state = decider.initial(group, journaled.arrivedAt());
            }
            Decision decision = decider.decide(state, input, journaled.arrivedAt());
            state = decision.state();
            List<EventData> emitted = decision.emitted();
            for (int i = 0; i < emitted.size(); i++) {
                out.add(new Event<>(idOf(input, group, i), input.source(), state.now(), emitted.get(i)));
            }
        }
        return out;
    }

    /** The id of the i-th event decided for {@code group} on {@code input}: the same rule as the live coordinator. */
    public static String idOf(Event<?> input, String group, int index) {
        return input.id() + "/" + group + "/" + index;
    }

    /** Every way the two lists differ; empty when they are the same decisions. */
    public static List<String> differences(List<Event<?>> replayed, List<Event<?>> recorded) {
        Map<String, Event<?>> byId = new LinkedHashMap<>();
        recorded.forEach(e -> byId.put(e.id(), e));
        List<String> differences = new ArrayList<>();
        for (Event<?> mine : replayed) {
            Event<?> theirs = byId.remove(mine.id());
            if (theirs == null && mine.data() instanceof TopologyChanged) {
                continue; // the topology topic is compacted: only each group's latest change is kept to compare
            }
            if (theirs == null) {
                differences.add("only in the replay: " + describe(mine));
            } else if (!Objects.equals(mine.data(), theirs.data())
                    || !mine.time().equals(theirs.time())) {
                differences.add("differs: " + describe(theirs) + "\n    replay decided: " + describe(mine));
            }
        }
        byId.values().forEach(e -> differences.add("only in the record: " + describe(e)));
        return differences;
    }

    public static String describe(Event<?> event) {
        return event.time() + " " + event.type().shortName()
                + reasonOf(event).map(r -> " " + r.code() + ": " + r.message()).orElse("");
    }

    /** The reason an event carries: every decision, command and result has one; observations do not. */
    public static Optional<Reason> reasonOf(Event<?> event) {
        try {
            Object value = event.data().getClass().getMethod("reason").invoke(event.data());
            return value instanceof Reason r ? Optional.of(r) : Optional.empty();
        } catch (ReflectiveOperationException e) {
            return Optional.empty(); // events without a reason
        }
    }
}
