package io.drplane.coordinator.decider;

import io.drplane.events.EventData;
import java.util.List;

/** The decider's answer to one input: the group's next state and the events to publish, in order. */
public record Decision(GroupState state, List<EventData> emitted) {
    public Decision {
        emitted = List.copyOf(emitted);
    }
}
